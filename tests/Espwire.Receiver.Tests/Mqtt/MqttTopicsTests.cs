using Espwire.Receiver.Sinks.Mqtt;

namespace Espwire.Receiver.Tests.Mqtt;

public sealed class MqttTopicsTests
{
    [Theory]
    [InlineData("radar-1", "espwire/radar-1/reading")]
    [InlineData("192.168.0.138", "espwire/192.168.0.138/reading")]
    [InlineData("a/b", "espwire/a_b/reading")]
    [InlineData("a+b#c", "espwire/a_b_c/reading")]
    [InlineData("nul\0x", "espwire/nul_x/reading")]
    [InlineData("", "espwire/_/reading")]
    public void A_device_is_one_topic_level_without_wildcards(string device, string topic) =>
        Assert.Equal(topic, new MqttTopics(MqttForwardOptionsDefaults.Topic, "r").Reading(device));

    [Fact]
    public void A_template_without_the_device_is_a_prefix_and_statuses_sit_beside_readings()
    {
        var topics = new MqttTopics("lab/readings/", "espwire-host/12345");
        Assert.Equal("lab/readings/radar-1", topics.Reading("radar-1"));
        Assert.Equal("lab/readings/radar-1/status", topics.DeviceStatus("radar-1"));
        Assert.Equal("espwire/receiver/espwire-host_12345/status", topics.ReceiverStatus);
        Assert.Equal("espwire/radar-1/status", new MqttTopics("espwire/{device}/reading", "r").DeviceStatus("radar-1"));
        Assert.Equal("homeassistant/sensor/radar_1/temp_c/config", MqttTopics.Discovery("radar.1", "temp c"));
    }

    [Theory]
    [InlineData("espwire/#")]
    [InlineData("espwire/+/{device}")]
    public void A_template_with_wildcards_is_refused(string template) =>
        Assert.Throws<ArgumentException>(() => new MqttTopics(template, "r"));

    private static class MqttForwardOptionsDefaults
    {
        public const string Topic = Espwire.Receiver.Sinks.MqttForwardOptions.DefaultTopic;
    }
}
