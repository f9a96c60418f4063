global using Identity.Extensions;
global using Microsoft.Extensions.Hosting;
