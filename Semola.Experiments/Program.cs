return Semola.Experiments.ExperimentsApp.Run(args, Console.Out, Console.Error);
