using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Phantom;

/// <summary>
/// One phantom subject as a patient of the DICOM it is written as: its name and ID, and UIDs that follow from the
/// phantom, seed and subject, so the same seed writes the same files. Every series of the subject shares its study
/// and frame of reference.
/// </summary>
internal sealed record PhantomPatient(string Phantom, int Seed, int Index, string NamePrefix, string PatientId, string StudyDescription)
{
    public string Uid(string name) => DicomUids.FromSeed($"{Phantom}/{Seed}/{Index}/{name}");

    public SeriesInfo Series(int number, string description, string imageType) => new()
    {
        PatientName = $"{NamePrefix}^{Index + 1:D3}",
        PatientId = PatientId,
        StudyInstanceUid = Uid("study"),
        SeriesInstanceUid = Uid(description),
        FrameOfReferenceUid = Uid("frame"),
        SeriesNumber = number,
        SeriesDescription = description,
        StudyDescription = StudyDescription,
        ImageType = imageType,
    };
}
