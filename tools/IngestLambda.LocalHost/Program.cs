Console.Error.WriteLine("local host: being written in the demo branch");
return 2;
