namespace ReaderStudy.Core.Phantom;

/// <summary>The tissues of the knee phantom, as labels in its label volume.</summary>
public enum Tissue : byte
{
    Background = 0,
    Fat = 1,
    Muscle = 2,
    Femur = 3,
    Tibia = 4,
    FemoralCartilage = 5,
    TibialCartilage = 6,
    Meniscus = 7,
    Fluid = 8,
}
