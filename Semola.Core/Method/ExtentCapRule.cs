namespace Semola.Core.Method;

/// <summary>How SEMoLA's extent reward is capped when no fixed cap is given.</summary>
public enum ExtentCapRule
{
    /// <summary>a_max,i = pi / ||Lhat_i||_2 (a full turn for any rotation generator).</summary>
    Spectral,

    /// <summary>
    /// The half-period pi / omega_max for compact directions, else the magnitude at which the batch's median relative
    /// displacement reaches 0.5 (inputs read as blocks of the group's order; for vector data such as tabular columns).
    /// </summary>
    Hybrid,
}
