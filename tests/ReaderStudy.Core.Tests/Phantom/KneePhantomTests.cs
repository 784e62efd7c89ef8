using ReaderStudy.Core.Phantom;

namespace ReaderStudy.Core.Tests.Phantom;

public sealed class KneePhantomTests
{
    private static readonly KneePhantomOptions Small = new() { Size = 128, Slices = 8, Seed = 7 };

    [Fact]
    public void Generate_SameSeed_GivesIdenticalSubjects()
    {
        var a = KneePhantom.Generate(0, Small);
        var b = KneePhantom.Generate(0, Small);

        Assert.Equal(a.Echoes[3], b.Echoes[3]);
        Assert.Equal(a.TrueT2, b.TrueT2);
        Assert.Equal(a.Anatomic["DESS"], b.Anatomic["DESS"]);
    }

    [Fact]
    public void Generate_OtherSubjectOrSeed_Differs()
    {
        var first = KneePhantom.Generate(0, Small);

        Assert.NotEqual(first.TrueT2, KneePhantom.Generate(1, Small).TrueT2);
        Assert.NotEqual(first.Echoes[0], KneePhantom.Generate(0, Small with { Seed = 8 }).Echoes[0]);
    }

    [Fact]
    public void Generate_HasEveryTissueAndEveryCartilageRegion()
    {
        var subject = KneePhantom.Generate(0, Small);

        Assert.Equal(Enum.GetValues<Tissue>().Order(), subject.Labels.Distinct().Order());
        Assert.All(subject.RegionTruth(), r => Assert.True(r.Voxels > 20, $"{r.Region.Name}: {r.Voxels} voxels"));
    }

    [Fact]
    public void Generate_CartilageT2_RisesFromDeepToSuperficial_WithinPhysiologicalRange()
    {
        var truth = KneePhantom.Generate(0, Small with { Lesions = false }).RegionTruth().ToDictionary(r => r.Region, r => r.MeanT2);

        Assert.True(truth[CartilageRegion.SuperficialCentral] > truth[CartilageRegion.DeepCentral] + 5);
        Assert.True(truth[CartilageRegion.SuperficialPosterior] > truth[CartilageRegion.DeepPosterior] + 5);
        Assert.InRange(truth[CartilageRegion.FemoralCartilage], 30, 55);
    }

    [Fact]
    public void Generate_Lesions_RaiseSuperficialCentralT2()
    {
        var without = KneePhantom.Generate(0, Small with { Lesions = false }).RegionTruth().Single(r => r.Region == CartilageRegion.SuperficialCentral).MeanT2;
        var with = KneePhantom.Generate(0, Small with { Lesions = true }).RegionTruth().Single(r => r.Region == CartilageRegion.SuperficialCentral).MeanT2;

        Assert.True(with > without + 0.5, $"with lesions {with:F2} ms, without {without:F2} ms");
    }

    [Fact]
    public void Generate_EchoTrain_DecaysWithTheTrueT2()
    {
        var subject = KneePhantom.Generate(0, Small with { NoiseFraction = 0 });
        var voxel = Array.FindIndex(subject.Labels, t => t == Tissue.Muscle);

        var ratio = subject.Echoes[1][voxel] / subject.Echoes[0][voxel];

        Assert.Equal(Math.Exp(-10 / subject.TrueT2[voxel]), ratio, 2);
    }
}
