using IngestLambda.Core.Contracts;
using IngestLambda.Core.Schemas;
using IngestLambda.Generate;

// make generate: rewrites the generated sections of template.yaml (or the file named) from the dataset contracts (contracts/) and
// src/IngestLambda.Analytics/Sql/. Exit 0 when the file is written or already up to date, 1 when it cannot be.
if (args is ["-h" or "--help"] || args.Length > 1)
{
    Console.Error.WriteLine("Usage: IngestLambda.Generate [TEMPLATE]   rewrite TEMPLATE's generated sections (default template.yaml)");
    return args.Length > 1 ? 2 : 0;
}

var path = args is [var given] ? given : "template.yaml";
try
{
    var current = File.ReadAllText(path);
    var generated = TemplateGenerator.Generate(current, SchemaCatalog.BuiltIn);
    if (generated == current)
    {
        Console.WriteLine($"{path}: up to date");
        return 0;
    }
    File.WriteAllText(path, generated);
    Console.WriteLine($"{path}: generated sections rewritten ({TemplateGenerator.DatasetTables}, {TemplateGenerator.DatasetNames}, {TemplateGenerator.NamedQueries}); review and commit it");
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
{
    Console.Error.WriteLine($"{path}: {e.Message}");
    return 1;
}
