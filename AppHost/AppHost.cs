using AppHost.Identity;
using AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.AddPlatformInfrastructure();
builder.AddCrashRestarts(); // a local run restarts a crashed service or server, as Kubernetes would
var database = infrastructure.Database;
var redis = infrastructure.Redis;

var identity = builder.AddProject<Projects.Identity>(ResourceNames.Identity)
    .WithReference(database).WaitFor(database)
    .WithTokenServerSettings()
    .WithServiceSettings()
    .WithHttpHealthCheck("/health");

var scorer = builder.AddProject<Projects.Scorer>(ResourceNames.Scorer)
    .WithServiceSettings()
    .WithHttpHealthCheck("/health", endpointName: "http");

var collector = builder.AddProject<Projects.Collector>(ResourceNames.Collector)
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WithReference(scorer).WaitFor(scorer)
    .WithServiceSettings()
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Gateway>(ResourceNames.Gateway)
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WithReference(scorer).WaitFor(scorer)
    .WithReference(identity).WaitFor(identity)
    .WithEnvironment("Gateway__Auth__Authority", identity.GetEndpoint("http")) // the issuer Identity puts in its tokens
    .WaitFor(collector) // the Collector owns the schema the Gateway reads
    .WithExternalHttpEndpoints()
    .WithServiceSettings()
    .WithHttpHealthCheck("/health");

builder.Build().Run();
