global using Collector.Extensions;
