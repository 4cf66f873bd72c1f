using Semola.Autodiff;

namespace Semola.Tests.Autodiff;

public class BadInputTests
{
    private static void AssertNames<T>(Func<object> action, params string[] parts)
        where T : Exception
    {
        var ex = Assert.Throws<T>(() => action());
        foreach (var p in parts)
        {
            Assert.Contains(p, ex.Message);
        }
    }

    [Fact]
    public void ShapeMismatchNamesOpAndShapes()
    {
        var a = Tensor.Zeros([2, 3]);
        var b = Tensor.Zeros([4]);
        AssertNames<ArgumentException>(() => a.Add(b), "Add", "[2, 3]", "[4]");
        AssertNames<ArgumentException>(() => a.MatMul(Tensor.Zeros([2, 2])), "MatMul", "[2, 3]", "[2, 2]");
        AssertNames<ArgumentException>(() => a.Reshape(4, 2), "Reshape", "[2, 3]", "[4, 2]");
        AssertNames<ArgumentException>(() => Losses.Mse(a, Tensor.Zeros([3, 2])), "Mse", "[2, 3]", "[3, 2]");
        AssertNames<ArgumentException>(() => Tensor.Concat([a, Tensor.Zeros([3, 3])], 1), "Concat", "[2, 3]", "[3, 3]");
        AssertNames<ArgumentException>(() => Tensor.Zeros([1, 2, 5, 5]).Conv2d(Tensor.Zeros([4, 3, 3, 3])), "Conv2d", "[4, 3, 3, 3]", "[1, 2, 5, 5]");
    }

    [Fact]
    public void WrongRanksAndAxes()
    {
        var a = Tensor.Zeros([2, 3]);
        AssertNames<ArgumentException>(() => a.Sum(2), "Sum", "axis 2", "[2, 3]");
        AssertNames<ArgumentException>(() => a.Permute(0), "Permute", "[2, 3]");
        AssertNames<ArgumentException>(() => a.Conv2d(Tensor.Zeros([1, 1, 1, 1])), "Conv2d", "[2, 3]");
        AssertNames<ArgumentException>(() => a.MaxPool2d(2), "MaxPool2d", "[2, 3]");
        AssertNames<ArgumentException>(() => a.Softmax(5), "Softmax", "[2, 3]");
        AssertNames<ArgumentException>(() => Losses.CrossEntropy(Tensor.Zeros([3]), [0, 1, 2]), "CrossEntropy", "[3]");
    }

    [Fact]
    public void OutOfRangeIndices()
    {
        var a = Tensor.Zeros([2, 3]);
        AssertNames<ArgumentException>(() => a.Narrow(1, 2, 2), "Narrow", "[2, 3]");
        AssertNames<ArgumentException>(() => a.Select(0, 2), "Select", "[2, 3]");
        AssertNames<ArgumentException>(() => a.IndexSelect(1, [0, 3]), "IndexSelect", "3", "[2, 3]");
        AssertNames<ArgumentException>(() => Losses.CrossEntropy(a, [0, 3]), "CrossEntropy", "label 3");
        AssertNames<ArgumentException>(() => Losses.CrossEntropy(a, [0]), "CrossEntropy", "1 labels");
    }

    [Fact]
    public void FailedOpLeavesNoTrace()
    {
        var a = Tensor.Zeros([2, 3]);
        a.RequiresGrad = true;
        Assert.Throws<ArgumentException>(() => a.Add(Tensor.Zeros([5])));
        var g = a.Sum().Backward();
        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 1 }, g[a].ToArray());
    }
}
