using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Template;

/// <summary>samconfig.toml gives `sam build` / `sam deploy` safe defaults.</summary>
public sealed class SamConfigTests
{
    private static readonly Dictionary<string, Dictionary<string, string>> Tables = ReadTables(Path.Combine(RepoPaths.Root, "samconfig.toml"));

    [Fact]
    public void Deploy_defaults_name_the_stack_resolve_an_artifact_bucket_and_confirm_changes()
    {
        Assert.False(string.IsNullOrWhiteSpace(Tables["default.global.parameters"]["stack_name"]));
        var deploy = Tables["default.deploy.parameters"];
        Assert.Equal("true", deploy["resolve_s3"]);
        Assert.Equal("\"CAPABILITY_IAM\"", deploy["capabilities"]);
        Assert.Equal("true", deploy["confirm_changeset"]);
    }

    [Fact]
    public void Build_runs_the_makefile_in_place()
    {
        Assert.Equal("true", Tables["default.build.parameters"]["build_in_source"]);
    }

    /// <summary>The flat subset of TOML samconfig uses: [table] headers and key = value lines.</summary>
    private static Dictionary<string, Dictionary<string, string>> ReadTables(string path)
    {
        var tables = new Dictionary<string, Dictionary<string, string>>();
        var current = tables[""] = [];
        foreach (var rawLine in File.ReadAllLines(path))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.StartsWith('['))
            {
                current = tables[line.Trim('[', ']')] = [];
                continue;
            }
            var equals = line.IndexOf('=');
            current[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }
        return tables;
    }
}
