using IngestLambda.Analytics.Cli;

// `answers`: the dataset questions answered from the lake's raw zone with embedded DuckDB (issue #10).
if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
{
    Console.WriteLine(AnswersOptions.Usage);
    return args.Length == 0 ? AnswersCommand.UsageOrAccess : AnswersCommand.Answered;
}
if (args[0] != "answers")
{
    Console.Error.WriteLine($"answers: unknown command '{args[0]}'.\n{AnswersOptions.Usage}");
    return AnswersCommand.UsageOrAccess;
}
return await AnswersCommand.RunAsync(args[1..], Console.Out, Console.Error, Environment.GetEnvironmentVariable,
    interactive: !Console.IsErrorRedirected);
