namespace Espwire.Ota;

public enum OtaStage
{
    Inviting,
    Authenticating,
    WaitingForDevice,
    Uploading,
    WaitingForResult,
    Done,
}
