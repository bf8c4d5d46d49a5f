namespace Espwire.At.Reader;

/// <summary>The final result line that ends a command's reply.</summary>
public enum ResultCode
{
    Ok = 0,
    Error = 1,
    /// <summary>1.x NonOS firmware ends a failed join with FAIL; 2.x prints ERROR instead.</summary>
    Fail = 2,
    SendOk = 3,
    SendFail = 4,
}
