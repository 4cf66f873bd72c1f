namespace Semola.Core.Data;

/// <summary>A train/validation/test partition of labelled images.</summary>
/// <param name="Train">Training images.</param>
/// <param name="Validation">Validation images (for every choice: early stopping, hyperparameters).</param>
/// <param name="Test">Test images, used only for the final figures.</param>
public sealed record ImageSplits(ImageDataSet Train, ImageDataSet Validation, ImageDataSet Test);
