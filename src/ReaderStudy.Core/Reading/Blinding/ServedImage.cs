namespace ReaderStudy.Core.Reading.Blinding;

/// <summary>
/// Everything one pane's browser receives for one image: the description JSON (with the image's random token
/// masked), the response headers that vary with the image, and each slice's body (null where a slice could not be served).
/// </summary>
public sealed record ServedImage(string Description, string Headers, int Rows, int Columns, IReadOnlyList<byte[]?> Slices);
