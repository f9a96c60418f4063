using Scorer.Cli;

if (ScorerCommands.IsCommand(args))
{
    return await ScorerCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapApplicationEndpoints();

await app.RunAsync();
return 0;
