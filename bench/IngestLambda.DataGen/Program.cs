Console.Error.WriteLine("datagen: being written in the benchmarks branch");
return 2;
