using Collector.Cli;

if (CollectorCommands.IsCommand(args))
{
    return await CollectorCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapApplicationEndpoints();

await app.RunAsync();
return 0;
