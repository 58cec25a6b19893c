using IngestLambda.Notifications;
using IngestLambda.Tests.Infrastructure;

namespace IngestLambda.Tests.Template;

/// <summary>
/// Issue #27 in template.yaml: the function may publish its outcome events, rejections go to an SNS topic that
/// EventBridge may publish to (for this rule only), an e-mail subscription exists only when an address is given,
/// and the example data alarm watches a dataset's rows per day (docs/deploy.md "Outcome events").
/// </summary>
public sealed class OutcomeEventsTemplateTests
{
    private static readonly CfnTemplate Template = CfnTemplate.Load(Path.Combine(RepoPaths.Root, "template.yaml"));

    [Fact]
    public void The_rule_routes_File_Rejected_from_the_function_to_the_topic_on_the_functions_bus()
    {
        var evaluator = new CfnEvaluator(Template);
        var rule = Template.Properties("RejectedFilesRule");
        var pattern = CfnTemplate.Map(rule["EventPattern"]);
        Assert.Equal([OutcomeEvent.Source], evaluator.Strings(pattern["source"]));
        Assert.Equal([OutcomeEvent.FileRejected], evaluator.Strings(pattern["detail-type"]));
        var variables = CfnTemplate.Map(CfnTemplate.Map(Template.Properties("IngestFunction")["Environment"])["Variables"]);
        Assert.Equal(evaluator.String(variables["EVENT_BUS_NAME"]), evaluator.String(rule["EventBusName"]));
        var target = CfnTemplate.Map(Assert.Single(CfnTemplate.List(rule["Targets"])));
        Assert.Equal(evaluator.String(new Dictionary<string, object?> { ["Ref"] = "RejectionsTopic" }), evaluator.String(target["Arn"]));
    }

    [Fact]
    public void EventBridge_may_publish_to_the_topic_for_this_rule_only()
    {
        var evaluator = new CfnEvaluator(Template);
        var policy = Template.Properties("RejectionsTopicPolicy");
        var statement = CfnTemplate.Map(Assert.Single(CfnTemplate.List(CfnTemplate.Map(policy["PolicyDocument"])["Statement"])));
        Assert.Equal("events.amazonaws.com", CfnTemplate.Map(statement["Principal"])["Service"]);
        Assert.Equal(["sns:Publish"], evaluator.Strings(statement["Action"]));
        var sourceArn = CfnTemplate.Map(CfnTemplate.Map(statement["Condition"])["ArnEquals"])["aws:SourceArn"];
        Assert.Equal(evaluator.String(new Dictionary<string, object?> { ["Fn::GetAtt"] = new List<object?> { "RejectedFilesRule", "Arn" } }),
            evaluator.String(sourceArn));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("provider@example.com", true)]
    public void The_email_subscription_exists_only_with_an_address(string email, bool subscribed)
    {
        var evaluator = new CfnEvaluator(Template, new Dictionary<string, string> { ["RejectionEmail"] = email });
        Assert.Equal("HasRejectionEmail", Template.Resource("RejectionsEmailSubscription")["Condition"]);
        Assert.Equal(subscribed, evaluator.Condition("HasRejectionEmail"));
        Assert.Equal("email", Template.Properties("RejectionsEmailSubscription")["Protocol"]);
    }

    [Fact]
    public void An_empty_bus_name_turns_the_rule_off()
    {
        Assert.True(new CfnEvaluator(Template).Condition("PublishesEvents"));
        Assert.False(new CfnEvaluator(Template, new Dictionary<string, string> { ["EventBusName"] = "" }).Condition("PublishesEvents"));
        Assert.Equal("PublishesEvents", Template.Resource("RejectedFilesRule")["Condition"]);
        Assert.Equal("PublishesEvents", Template.Resource("RejectionsTopicPolicy")["Condition"]);
    }

    [Fact]
    public void The_function_may_put_events_on_its_bus_only()
    {
        var evaluator = new CfnEvaluator(Template);
        var statement = CfnTemplate.List(CfnTemplate.Map(Assert.Single(CfnTemplate.List(Template.Properties("IngestFunction")["Policies"])))["Statement"])
            .Select(CfnTemplate.Map).Single(s => evaluator.Strings(s["Action"]).Contains("events:PutEvents"));
        Assert.Equal(["events:PutEvents"], evaluator.Strings(statement["Action"]));
        Assert.Equal([$"arn:aws:events:us-east-1:{CfnEvaluator.AccountId}:event-bus/default"], evaluator.Strings(statement["Resource"]));
    }

    [Fact]
    public void The_rows_alarm_fires_on_a_day_without_rows_of_the_dataset()
    {
        var evaluator = new CfnEvaluator(Template);
        var alarm = Template.Properties("DatasetRowsAlarm");
        Assert.Equal(Observability.EmbeddedMetrics.Namespace, alarm["Namespace"]);
        Assert.Equal("Rows", alarm["MetricName"]);
        // CloudWatch matches a metric on its whole dimension set: the one IngestLog emits Rows with per dataset.
        var dimensions = CfnTemplate.List(alarm["Dimensions"]).Select(CfnTemplate.Map).ToDictionary(d => (string)d["Name"]!, d => evaluator.String(d["Value"]));
        Assert.Equal(["Dataset", "FunctionName"], dimensions.Keys.Order());
        Assert.Equal("Movies", dimensions["Dataset"]);
        Assert.Equal("<res:IngestFunction>", dimensions["FunctionName"]);
        Assert.Equal("Sum", alarm["Statistic"]);
        Assert.Equal("86400", alarm["Period"]);
        Assert.Equal("0", alarm["Threshold"]);
        Assert.Equal("LessThanOrEqualToThreshold", alarm["ComparisonOperator"]);
        Assert.Equal("breaching", alarm["TreatMissingData"]);
    }
}
