using ReaderStudy.Cli;
using ReaderStudy.Imaging.Dicom;

// Started as its own DICOM worker (see DicomIsolation), the command line decodes files and nothing else.
if (args is [DicomWorker.Verb])
{
    return DicomIsolation.Serve(Console.In, Console.Out);
}
DicomWorker.Current = DicomWorker.ForAssembly(typeof(CommandLine).Assembly.Location, DicomWorker.Verb);
return await CommandLine.Build().Parse(args).InvokeAsync();
