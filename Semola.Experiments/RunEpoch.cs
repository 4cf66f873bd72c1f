namespace Semola.Experiments;

/// <summary>
/// One entry of a results.json <c>history</c>: the epoch, its loss terms and validation metrics, and how well the learned
/// generators matched the reference then (NaN when unknown). Non-finite numbers are left out of the dictionaries.
/// </summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Losses">Training loss terms (total, task, ...).</param>
/// <param name="Validation">Validation metrics (accuracy, mse, ...).</param>
/// <param name="GeneratorCosine">Cosine similarity of the first generator to the reference, or NaN.</param>
/// <param name="SubspaceSimilarity">Similarity of the learned span to the reference span, or NaN.</param>
public sealed record RunEpoch(int Epoch, IReadOnlyDictionary<string, double> Losses, IReadOnlyDictionary<string, double> Validation, double GeneratorCosine, double SubspaceSimilarity);
