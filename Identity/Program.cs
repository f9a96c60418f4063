var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseTokenServer();
app.MapDefaultEndpoints();
app.MapApplicationEndpoints();

app.Run();
