namespace ReaderStudy.Imaging.Phantom;

/// <summary>manifest.json of a phantom folder: what was written and the true T2 per cartilage region.</summary>
public sealed record PhantomManifest(int Seed, int Size, int Slices, double NoiseFraction, IReadOnlyList<double> EchoTimesMs, IReadOnlyList<PhantomManifestSubject> Subjects);

public sealed record PhantomManifestSubject(string Pseudonym, string StudyInstanceUid, IReadOnlyList<PhantomManifestSeries> Series, IReadOnlyList<PhantomManifestRegion> Regions);

public sealed record PhantomManifestSeries(string SeriesInstanceUid, int SeriesNumber, string Description, string Kind, int Files);

/// <summary>A region's segment number, name, voxel count and true mean T2 (ms; null for a region too small to appear at this image size).</summary>
public sealed record PhantomManifestRegion(int Segment, string Name, int Voxels, double? TrueT2Ms);
