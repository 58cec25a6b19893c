using System.Text.RegularExpressions;
using IngestLambda.Configuration;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Template;

/// <summary>
/// The README's "Configuration (environment)" table is the one list of settings: every template parameter and every
/// variable the function reads is in it, and each documented default is the template's and the code's.
/// </summary>
public sealed partial class ConfigurationTableTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Load(Path.Combine(RepoPaths.Root, "template.yaml"));

    /// <summary>Read by the function, documented in the paragraph under the table: the SDK's and Lambda's own settings.</summary>
    private static readonly string[] StandardSettings = ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EVENTS", "AWS_LAMBDA_LOG_LEVEL"];

    /// <param name="Default">The literal default; "" for an empty one; null for none.</param>
    private sealed record Row(string? Variable, string? Parameter, string? Default);

    private static readonly string Section = ReadSection();
    private static readonly List<Row> Rows = ParseRows(Section);

    private static string ReadSection()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("## Configuration (environment)", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"## Configuration (environment)\" section");
        var end = readme.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return readme[start..end];
    }

    private static List<Row> ParseRows(string section) =>
        section.Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal) || line.StartsWith("| —", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => new Row(Name(cells[1]), Name(cells[2]), Default(cells[3])))
            .ToList();

    private static string? Name(string cell) => cell == "—" ? null : NameCell().Match(cell) is { Success: true } m ? m.Groups[1].Value
        : throw new InvalidOperationException($"'{cell}' is neither `NAME` nor —");

    private static string? Default(string cell) =>
        cell.StartsWith('`') ? cell[1..cell.IndexOf('`', 1)]
        : cell.StartsWith("empty", StringComparison.Ordinal) ? ""
        : cell.StartsWith('—') ? null
        : throw new InvalidOperationException($"default '{cell}' is neither `VALUE`, empty nor —");

    [Fact]
    public void The_table_has_a_row_per_setting_and_no_setting_twice()
    {
        Assert.True(Rows.Count >= 10, $"only {Rows.Count} rows parsed:\n{Section}");
        Assert.Equal(Rows.Where(r => r.Variable is not null).Select(r => r.Variable).Distinct().Count(), Rows.Count(r => r.Variable is not null));
        Assert.Equal(Rows.Where(r => r.Parameter is not null).Select(r => r.Parameter).Distinct().Count(), Rows.Count(r => r.Parameter is not null));
    }

    [Fact]
    public void Every_template_parameter_is_in_the_table_with_the_templates_default()
    {
        foreach (var (name, definition) in Template.Parameters)
        {
            var row = Rows.SingleOrDefault(r => r.Parameter == name);
            Assert.True(row is not null, $"template parameter {name} is not in the README's configuration table");
            var templateDefault = CfnTemplate.Map(definition).TryGetValue("Default", out var value) ? (string?)value ?? "" : null;
            Assert.True(templateDefault == row.Default, $"{name}: the README says {Show(row.Default)}, template.yaml {Show(templateDefault)}");
        }
        Assert.All(Rows.Where(r => r.Parameter is not null), r => Assert.Contains(r.Parameter!, Template.Parameters.Keys));
    }

    [Fact]
    public void The_template_passes_each_parameter_to_the_variable_of_its_row()
    {
        var variables = CfnTemplate.Map(CfnTemplate.Map(Template.Properties("IngestFunction")["Environment"])["Variables"]);
        foreach (var (variable, value) in variables)
        {
            var parameter = (string?)CfnTemplate.Map(value)["Ref"];
            Assert.Contains(new Row(variable, parameter, Rows.Single(r => r.Variable == variable).Default), Rows);
        }
        Assert.All(Rows.Where(r => r.Variable is not null && r.Parameter is not null), r => Assert.Contains(r.Variable!, variables.Keys));
    }

    [Fact]
    public void Every_variable_the_function_reads_is_in_the_table_or_named_under_it()
    {
        var read = new SortedSet<string>(StringComparer.Ordinal);
        IngestConfig.FromVariables(name => { read.Add(name); return null; });

        var documented = Rows.Where(r => r.Variable is not null).Select(r => r.Variable!).ToHashSet();
        Assert.Equal(read.Except(StandardSettings).Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        Assert.All(StandardSettings, name =>
        {
            Assert.Contains(name, read);
            Assert.Contains($"`{name}`", Section, StringComparison.Ordinal);
        });
    }

    /// <summary>Setting a variable to its documented default changes nothing: the code's default is the README's.</summary>
    [Fact]
    public void The_documented_default_of_each_variable_is_the_codes()
    {
        var defaults = IngestConfig.FromVariables(_ => null);
        foreach (var row in Rows.Where(r => r.Variable is not null))
        {
            if (row.Default is null)
                continue; // no default value: the behaviour is described in words (DESTINATION_BUCKET: the event's bucket)
            var set = IngestConfig.FromVariables(name => name == row.Variable ? row.Default : null);
            Assert.True(defaults == set, $"{row.Variable}={row.Default} (the README's default) is not the code's default");
        }
        Assert.Null(defaults.DestinationBucket);
    }

    private static string Show(string? value) => value is null ? "no default" : $"'{value}'";

    [GeneratedRegex("^`([A-Za-z0-9_]+)`$")]
    private static partial Regex NameCell();
}
