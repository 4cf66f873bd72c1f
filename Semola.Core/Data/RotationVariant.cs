namespace Semola.Core.Data;

/// <summary>How RotatedMNIST draws its angles.</summary>
public enum RotationVariant
{
    /// <summary>In distribution: train and test angles uniform over the full turn.</summary>
    Id,

    /// <summary>Restricted out of distribution: train angles uniform in [-45, 45] degrees, test angles over the full turn.</summary>
    Ood,
}
