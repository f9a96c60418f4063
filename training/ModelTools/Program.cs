using ModelTools.Cli;

return await ModelToolsCommandLine.RunAsync(args);
