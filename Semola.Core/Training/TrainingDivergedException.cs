namespace Semola.Core.Training;

/// <summary>Raised when a loss becomes NaN or infinite; the last good checkpoint is kept.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
