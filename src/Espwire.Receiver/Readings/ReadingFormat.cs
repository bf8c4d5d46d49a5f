namespace Espwire.Receiver.Readings;

/// <summary>How a line's text was understood. Stored by name in the database.</summary>
public enum ReadingFormat
{
    /// <summary>Text without numbers we could recognise; kept raw.</summary>
    Text = 0,
    /// <summary>A bare number, like the seed's counter <c>581</c>.</summary>
    Number = 1,
    /// <summary><c>key=value</c> pairs, e.g. <c>temp=21.5 hum=40</c>.</summary>
    KeyValue = 2,
    /// <summary>Comma-separated numbers, e.g. <c>1.5,2,3</c>.</summary>
    Csv = 3,
    /// <summary>A JSON object; its numeric fields are the values.</summary>
    Json = 4,
}
