using ReaderStudy.Cli;

return CommandLine.Build().Parse(args).Invoke();
