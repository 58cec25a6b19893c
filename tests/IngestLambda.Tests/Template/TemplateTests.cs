using System.Globalization;
using System.Text.RegularExpressions;
using IngestLambda.Configuration;
using IngestLambda.Core.Lake;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Template;

/// <summary>The invariants of template.yaml that keep the deployed stack correct, safe and non-recursive.</summary>
public sealed class TemplateTests
{
    private const string Function = "IngestFunction";
    private const string Bucket = "LakeBucket";

    private static readonly CfnTemplate Template = CfnTemplate.Load(Path.Combine(RepoPaths.Root, "template.yaml"));

    private static readonly string[] OutputPrefixVariables = ["RAW_PREFIX", "TRUSTED_PREFIX", "QUARANTINE_PREFIX", "MANIFEST_PREFIX"];

    /// <summary>Parameter sets a deployment might use: the defaults, and every prefix and the bucket name changed.</summary>
    public static TheoryData<string> Deployments => ["defaults", "custom"];

    private static CfnEvaluator Evaluator(string deployment) => deployment switch
    {
        "defaults" => new CfnEvaluator(Template),
        "custom" => new CfnEvaluator(Template, new Dictionary<string, string>
        {
            ["LakeBucketName"] = "acme-data-lake",
            ["LandingPrefix"] = "inbox/csv/",
            ["RawPrefix"] = "lake/raw/",
            ["QuarantinePrefix"] = "lake/quarantine/",
            ["ManifestPrefix"] = "lake/manifests/",
            ["TrustedPrefix"] = "lake/trusted/",
        }, region: "ap-southeast-2", stackName: "Prod-Ingest"),
        _ => throw new ArgumentOutOfRangeException(nameof(deployment)),
    };

    private static Dictionary<string, object?> FunctionProperties => Template.Properties(Function);

    private static string Env(CfnEvaluator evaluator, string variable) =>
        evaluator.String(CfnTemplate.Map(CfnTemplate.Map(FunctionProperties["Environment"])["Variables"])[variable]);

    [Fact]
    public void Template_is_a_SAM_template()
    {
        Assert.Equal("AWS::Serverless-2016-10-31", Template.Root["Transform"]);
        Assert.Equal("AWS::Serverless::Function", Template.Resource(Function)["Type"]);
    }

    [Fact]
    public void Function_is_the_native_bootstrap_on_provided_al2023_built_by_the_makefile()
    {
        var properties = FunctionProperties;
        Assert.Equal("provided.al2023", properties["Runtime"]);
        Assert.Equal("bootstrap", properties["Handler"]);
        Assert.Equal("makefile", CfnTemplate.Map(Template.Resource(Function)["Metadata"])["BuildMethod"]);
        Assert.Equal(".", properties["CodeUri"]);
        Assert.Equal("Active", properties["Tracing"]);
    }

    /// <summary>arm64 (Graviton) unless the Architecture parameter says x86_64; the Makefile's build target builds the same default.</summary>
    [Theory]
    [InlineData(null, "arm64")]
    [InlineData("x86_64", "x86_64")]
    public void Architecture_parameter_sets_the_function_architecture_and_defaults_to_arm64(string? parameter, string expected)
    {
        var evaluator = parameter is null ? new CfnEvaluator(Template) : new CfnEvaluator(Template, new Dictionary<string, string> { ["Architecture"] = parameter });
        Assert.Equal([expected], evaluator.Strings(FunctionProperties["Architectures"]));
        Assert.Equal(["arm64", "x86_64"], CfnTemplate.List(CfnTemplate.Map(Template.Parameters["Architecture"])["AllowedValues"]));
    }

    [Fact]
    public void Makefile_has_the_build_target_sam_build_runs_for_the_function()
    {
        var makefile = File.ReadAllText(Path.Combine(RepoPaths.Root, "Makefile"));
        Assert.Matches(new Regex($"^build-{Function}:", RegexOptions.Multiline), makefile);
    }

    [Fact]
    public void Function_has_time_and_memory_for_large_files_and_logs_json()
    {
        var evaluator = new CfnEvaluator(Template);
        Assert.InRange(int.Parse(evaluator.String(FunctionProperties["Timeout"])), 300, 900);
        Assert.InRange(int.Parse(evaluator.String(FunctionProperties["MemorySize"])), 512, 10240);
        var logging = CfnTemplate.Map(FunctionProperties["LoggingConfig"]);
        Assert.Equal("JSON", logging["LogFormat"]);
        // Lambda's filter stays open and LOG_LEVEL filters in-process, so metrics lines are never dropped (issue #11 item 3).
        Assert.Equal("TRACE", evaluator.String(logging["ApplicationLogLevel"]));
        Assert.Equal("INFO", Env(evaluator, "LOG_LEVEL"));
    }

    [Fact]
    public void Function_logs_to_its_own_log_group_with_retention()
    {
        var logging = CfnTemplate.Map(FunctionProperties["LoggingConfig"]);
        var logGroupId = (string)CfnTemplate.Map(logging["LogGroup"])["Ref"]!;
        Assert.Equal("AWS::Logs::LogGroup", Template.Resource(logGroupId)["Type"]);
        var retention = new CfnEvaluator(Template).String(Template.Properties(logGroupId)["RetentionInDays"]);
        Assert.InRange(int.Parse(retention), 1, 3653);
    }

    [Fact]
    public void Environment_carries_every_setting_and_the_defaults_are_the_lake_layout_of_the_code()
    {
        var evaluator = new CfnEvaluator(Template);
        string[] expected = ["LANDING_PREFIX", "RAW_PREFIX", "QUARANTINE_PREFIX", "MANIFEST_PREFIX", "MAX_LINE_BYTES",
            "MAX_REPORTED_ERRORS", "MULTIPART_COPY_THRESHOLD_BYTES", "MULTIPART_COPY_PART_BYTES", "RANGED_READ_THRESHOLD_BYTES",
            "RANGED_READ_PART_BYTES", "RANGED_READ_CONCURRENCY", "LOG_LEVEL", "INTEGRITY_SHA256", "EVENT_BUS_NAME", "TRUSTED_PREFIX", "TRUSTED_FORMAT"];
        var variables = CfnTemplate.Map(CfnTemplate.Map(FunctionProperties["Environment"])["Variables"]);
        Assert.Equal(expected.Order(), variables.Keys.Order());

        Assert.Equal(LakePrefixes.Default.Landing, Env(evaluator, "LANDING_PREFIX"));
        Assert.Equal(LakePrefixes.Default.Raw, Env(evaluator, "RAW_PREFIX"));
        Assert.Equal(LakePrefixes.Default.Quarantine, Env(evaluator, "QUARANTINE_PREFIX"));
        Assert.Equal(LakePrefixes.Default.Manifest, Env(evaluator, "MANIFEST_PREFIX"));
        Assert.Equal("Trusted/Local/Parquet/", Env(evaluator, "TRUSTED_PREFIX"));
        Assert.Equal("parquet", Env(evaluator, "TRUSTED_FORMAT"));
        Assert.Equal("1048576", Env(evaluator, "MAX_LINE_BYTES"));
        Assert.Equal("100", Env(evaluator, "MAX_REPORTED_ERRORS"));
        Assert.Equal("false", Env(evaluator, "INTEGRITY_SHA256"));
        Assert.True(long.Parse(Env(evaluator, "MULTIPART_COPY_PART_BYTES")) >= 5 * 1024 * 1024, "S3's minimum part is 5 MiB");
        var code = new IngestConfig();
        Assert.Equal(code.RangedReadThresholdBytes.ToString(CultureInfo.InvariantCulture), Env(evaluator, "RANGED_READ_THRESHOLD_BYTES"));
        Assert.Equal(code.RangedReadPartBytes.ToString(CultureInfo.InvariantCulture), Env(evaluator, "RANGED_READ_PART_BYTES"));
        Assert.Equal(code.RangedReadConcurrency.ToString(CultureInfo.InvariantCulture), Env(evaluator, "RANGED_READ_CONCURRENCY"));
        Assert.Equal(code.EventBusName, Env(evaluator, "EVENT_BUS_NAME"));
    }

    [Fact]
    public void Environment_does_not_reference_the_bucket_resource()
    {
        // DESTINATION_BUCKET stays unset (the event's bucket): naming the bucket here would make the function
        // depend on the bucket, whose notification already depends on the function.
        var evaluator = new CfnEvaluator(Template);
        var variables = CfnTemplate.Map(CfnTemplate.Map(FunctionProperties["Environment"])["Variables"]);
        Assert.All(variables.Values, value => Assert.DoesNotContain("<res:", evaluator.String(value)));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void The_S3_events_fire_for_csv_and_csv_gz_objects_created_under_the_functions_landing_prefix(string deployment)
    {
        var evaluator = Evaluator(deployment);
        var events = CfnTemplate.Map(FunctionProperties["Events"]).Values.Select(CfnTemplate.Map).Where(e => (string?)e["Type"] == "S3").ToList();
        var suffixes = new List<string>();
        foreach (var s3Event in events)
        {
            var properties = CfnTemplate.Map(s3Event["Properties"]);
            Assert.Equal($"<res:{Bucket}>", evaluator.String(properties["Bucket"]));
            Assert.Equal(["s3:ObjectCreated:*"], evaluator.Strings(properties["Events"]));
            var rules = CfnTemplate.List(CfnTemplate.Map(CfnTemplate.Map(properties["Filter"])["S3Key"])["Rules"])
                .Select(CfnTemplate.Map)
                .ToDictionary(rule => (string)rule["Name"]!, rule => evaluator.String(rule["Value"]));
            Assert.Equal(Env(evaluator, "LANDING_PREFIX"), rules["prefix"]);
            suffixes.Add(rules["suffix"]);
        }
        // One rule per suffix (S3 takes one suffix per filter); neither suffix ends the other, so S3 does not see them overlap.
        Assert.Equal([".csv", ".csv.gz"], suffixes.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void No_output_prefix_lies_under_the_landing_prefix(string deployment)
    {
        var evaluator = Evaluator(deployment);
        var landing = Env(evaluator, "LANDING_PREFIX");
        foreach (var variable in OutputPrefixVariables)
        {
            var prefix = Env(evaluator, variable);
            Assert.EndsWith("/", prefix);
            Assert.False(prefix.StartsWith(landing, StringComparison.Ordinal), $"{variable}={prefix} lies under {landing}: a copy would trigger the function again");
        }
    }

    [Fact]
    public void Prefix_parameters_only_accept_folder_prefixes()
    {
        foreach (var name in new[] { "LandingPrefix", "RawPrefix", "QuarantinePrefix", "ManifestPrefix" })
        {
            var pattern = new Regex((string)CfnTemplate.Map(Template.Parameters[name])["AllowedPattern"]!);
            Assert.Matches(pattern, (string)CfnTemplate.Map(Template.Parameters[name])["Default"]!);
            Assert.Matches(pattern, "a/b-c_d.e/");
            Assert.DoesNotMatch(pattern, "landing");
            Assert.DoesNotMatch(pattern, "/landing/");
            Assert.DoesNotMatch(pattern, "");
        }
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void The_bucket_name_is_a_valid_S3_name_and_the_one_every_policy_names(string deployment)
    {
        var evaluator = Evaluator(deployment);
        var bucketName = evaluator.String(Template.Properties(Bucket)["BucketName"]);
        Assert.Matches(@"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", bucketName);
        if (deployment == "defaults")
            Assert.Contains(CfnEvaluator.AccountId, bucketName);
        else
            Assert.Equal("acme-data-lake", bucketName);

        Assert.All(S3Statements(evaluator), statement => Assert.All(statement.Resources, resource =>
            Assert.True(resource == $"arn:aws:s3:::{bucketName}" || resource.StartsWith($"arn:aws:s3:::{bucketName}/", StringComparison.Ordinal),
                $"{statement.Sid}: {resource} is not in the lake bucket {bucketName}")));
    }

    [Fact]
    public void The_derived_bucket_name_fits_in_63_characters_in_the_longest_region()
    {
        var evaluator = new CfnEvaluator(Template, region: "ap-southeast-7", stackName: new string('S', 128));
        Assert.InRange(evaluator.String(Template.Properties(Bucket)["BucketName"]).Length, 3, 63);
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void S3_statements_have_no_wildcard_actions_and_no_wildcard_resources(string deployment)
    {
        var statements = S3Statements(Evaluator(deployment));
        Assert.NotEmpty(statements);
        foreach (var statement in statements)
        {
            Assert.All(statement.Actions, action => Assert.DoesNotContain("*", action));
            Assert.All(statement.Resources, resource => Assert.NotEqual("*", resource));
            Assert.All(statement.Resources, resource => Assert.DoesNotMatch(@"^arn:aws:s3:::\*", resource));
        }
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void The_function_reads_only_landing_and_writes_only_raw_trusted_quarantine_and_manifests(string deployment)
    {
        var evaluator = Evaluator(deployment);
        var bucket = $"arn:aws:s3:::{evaluator.String(Template.Properties(Bucket)["BucketName"])}/";
        var landing = bucket + Env(evaluator, "LANDING_PREFIX") + "*";
        string[] outputs = OutputPrefixVariables.Select(variable => bucket + Env(evaluator, variable) + "*").ToArray();
        var statements = S3Statements(evaluator);

        Assert.Equal(outputs.Order(), ResourcesAllowing(statements, "s3:PutObject").Order());
        Assert.Contains(landing, ResourcesAllowing(statements, "s3:GetObject"));
        Assert.Contains(landing, ResourcesAllowing(statements, "s3:GetObjectVersion"));
        // The parts of a multipart landing object, for its composite checksum: landing only.
        Assert.Equal([landing], ResourcesAllowing(statements, "s3:GetObjectVersionAttributes"));
        Assert.Equal([landing], ResourcesAllowing(statements, "s3:GetObjectAttributes"));
        // Reads: the landed object, and the destinations read back to recognise an already ingested version.
        Assert.Equal(outputs.Append(landing).Order(), ResourcesAllowing(statements, "s3:GetObject").Order());
        Assert.All(ResourcesAllowing(statements, "s3:AbortMultipartUpload"), resource => Assert.Contains(resource, outputs));
        // Deletes: only the short-lived claims beside manifests and quarantine reports, never data or landed files.
        string[] claims = new[] { "MANIFEST_PREFIX", "QUARANTINE_PREFIX" }.Select(variable => bucket + Env(evaluator, variable) + "*.claim").ToArray();
        Assert.Equal(claims.Order(), ResourcesAllowing(statements, "s3:DeleteObject").Order());
        Assert.Equal(claims.Order(), ResourcesAllowing(statements, "s3:DeleteObjectVersion").Order());
        Assert.DoesNotContain(statements, statement => statement.Actions.Any(action => action.StartsWith("s3:Delete", StringComparison.Ordinal))
            && statement.Resources.Any(resource => !claims.Contains(resource)));
        Assert.DoesNotContain(statements, statement => statement.Actions.Any(action => action.StartsWith("s3:Put", StringComparison.Ordinal))
            && statement.Resources.Any(resource => resource.StartsWith(bucket + Env(evaluator, "LANDING_PREFIX"), StringComparison.Ordinal)));
    }

    [Fact]
    public void The_function_policies_name_the_bucket_by_name_not_by_reference_to_the_resource()
    {
        var evaluator = new CfnEvaluator(Template);
        var policies = evaluator.Evaluate(FunctionProperties["Policies"]);
        Assert.DoesNotContain("<res:", Flatten(policies));
    }

    [Fact]
    public void Failed_asynchronous_invocations_go_to_an_encrypted_queue_after_bounded_retries()
    {
        var invokeConfig = CfnTemplate.Map(FunctionProperties["EventInvokeConfig"]);
        Assert.InRange(int.Parse((string)invokeConfig["MaximumRetryAttempts"]!), 0, 2);
        Assert.InRange(int.Parse((string)invokeConfig["MaximumEventAgeInSeconds"]!), 60, 21600);

        var onFailure = CfnTemplate.Map(CfnTemplate.Map(invokeConfig["DestinationConfig"])["OnFailure"]);
        Assert.Equal("SQS", onFailure["Type"]);
        var queueId = (string)CfnTemplate.List(CfnTemplate.Map(onFailure["Destination"])["Fn::GetAtt"])[0]!;
        Assert.Equal("AWS::SQS::Queue", Template.Resource(queueId)["Type"]);
        var queue = Template.Properties(queueId);
        Assert.True(queue.TryGetValue("SqsManagedSseEnabled", out var sse) && (string?)sse == "true" || queue.ContainsKey("KmsMasterKeyId"),
            "the failure queue holds events with object keys: it must be encrypted");
    }

    [Fact]
    public void The_lake_bucket_is_versioned_encrypted_private_owner_enforced_and_cleans_up_multipart_uploads()
    {
        var bucket = Template.Properties(Bucket);
        Assert.Equal("Enabled", CfnTemplate.Map(bucket["VersioningConfiguration"])["Status"]);

        var publicAccess = CfnTemplate.Map(bucket["PublicAccessBlockConfiguration"]);
        foreach (var setting in new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" })
            Assert.Equal("true", publicAccess[setting]);

        var ownership = CfnTemplate.List(CfnTemplate.Map(bucket["OwnershipControls"])["Rules"]).Select(CfnTemplate.Map);
        Assert.Contains(ownership, rule => (string?)rule["ObjectOwnership"] == "BucketOwnerEnforced");

        var encryption = CfnTemplate.List(CfnTemplate.Map(bucket["BucketEncryption"])["ServerSideEncryptionConfiguration"]);
        Assert.NotEmpty(encryption);

        var lifecycle = CfnTemplate.List(CfnTemplate.Map(bucket["LifecycleConfiguration"])["Rules"]).Select(CfnTemplate.Map);
        Assert.Contains(lifecycle, rule => (string?)rule["Status"] == "Enabled" && rule.ContainsKey("AbortIncompleteMultipartUpload"));

        Assert.Equal("Retain", Template.Resource(Bucket)["DeletionPolicy"]);
    }

    [Fact]
    public void The_bucket_policy_denies_requests_without_TLS()
    {
        var evaluator = new CfnEvaluator(Template);
        var policy = Assert.Single(Template.Resources.Values.Select(CfnTemplate.Map),
            resource => (string?)resource["Type"] == "AWS::S3::BucketPolicy");
        var properties = CfnTemplate.Map(policy["Properties"]);
        Assert.Equal($"<res:{Bucket}>", evaluator.String(properties["Bucket"]));

        var statements = CfnTemplate.List(CfnTemplate.Map(properties["PolicyDocument"])["Statement"]).Select(CfnTemplate.Map);
        var denyHttp = Assert.Single(statements, statement =>
            (string?)statement["Effect"] == "Deny"
            && CfnTemplate.Map(CfnTemplate.Map(statement["Condition"])["Bool"]).TryGetValue("aws:SecureTransport", out var secure)
            && (string?)secure == "false");
        Assert.Equal(["s3:*"], evaluator.Strings(denyHttp["Action"]));
        Assert.Equal([$"<res:{Bucket}.Arn>", $"<res:{Bucket}.Arn>/*"], evaluator.Strings(denyHttp["Resource"]));
    }

    [Fact]
    public void Alarms_watch_function_errors_and_the_failure_queue()
    {
        var alarms = Template.Resources.Values.Select(CfnTemplate.Map)
            .Where(resource => (string?)resource["Type"] == "AWS::CloudWatch::Alarm")
            .Select(resource => CfnTemplate.Map(resource["Properties"]))
            .ToList();
        var evaluator = new CfnEvaluator(Template);

        var errors = Assert.Single(alarms, alarm => (string?)alarm["Namespace"] == "AWS/Lambda" && (string?)alarm["MetricName"] == "Errors");
        Assert.Equal($"<res:{Function}>", evaluator.String(CfnTemplate.Map(CfnTemplate.List(errors["Dimensions"])[0])["Value"]));

        var queue = Assert.Single(alarms, alarm => (string?)alarm["Namespace"] == "AWS/SQS" && (string?)alarm["MetricName"] == "ApproximateNumberOfMessagesVisible");
        var failureQueueId = (string)CfnTemplate.List(CfnTemplate.Map(CfnTemplate.Map(CfnTemplate.Map(
            CfnTemplate.Map(FunctionProperties["EventInvokeConfig"])["DestinationConfig"])["OnFailure"])["Destination"])["Fn::GetAtt"])[0]!;
        Assert.Equal($"<res:{failureQueueId}.QueueName>", evaluator.String(CfnTemplate.Map(CfnTemplate.List(queue["Dimensions"])[0])["Value"]));
    }

    [Fact]
    public void Outputs_give_the_bucket_the_function_and_the_failure_queue()
    {
        var evaluator = new CfnEvaluator(Template);
        var values = Template.Outputs.Values.Select(output => evaluator.String(CfnTemplate.Map(output)["Value"])).ToList();
        Assert.Contains($"<res:{Bucket}>", values);
        Assert.Contains($"<res:{Function}.Arn>", values);
        Assert.Contains("<res:FailureQueue>", values);
        Assert.Equal("AWS::SQS::Queue", Template.Resource("FailureQueue")["Type"]);
    }

    private sealed record Statement(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources);

    /// <summary>The function's Allow statements that grant any S3 action, resolved for one deployment.</summary>
    private static List<Statement> S3Statements(CfnEvaluator evaluator)
    {
        var statements = new List<Statement>();
        foreach (var policy in CfnTemplate.List(FunctionProperties["Policies"]))
        {
            // SAM also accepts managed-policy names and policy templates; an S3 grant must be an explicit statement.
            var document = Assert.IsType<Dictionary<string, object?>>(policy);
            foreach (var raw in CfnTemplate.List(document["Statement"]).Select(CfnTemplate.Map))
            {
                Assert.Equal("Allow", raw["Effect"]);
                var actions = evaluator.Strings(raw["Action"]);
                if (actions.Any(action => action.StartsWith("s3:", StringComparison.Ordinal) || action == "*"))
                    statements.Add(new Statement((string?)raw.GetValueOrDefault("Sid") ?? "?", actions, evaluator.Strings(raw["Resource"])));
            }
        }
        return statements;
    }

    private static List<string> ResourcesAllowing(List<Statement> statements, string action) =>
        statements.Where(statement => statement.Actions.Contains(action)).SelectMany(statement => statement.Resources).Distinct().ToList();

    private static string Flatten(object? node) => node switch
    {
        string text => text,
        List<object?> list => string.Join("\n", list.Select(Flatten)),
        Dictionary<string, object?> map => string.Join("\n", map.Select(pair => pair.Key + ":" + Flatten(pair.Value))),
        _ => "",
    };
}
