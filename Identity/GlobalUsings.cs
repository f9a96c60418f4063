global using Identity.Extensions;
