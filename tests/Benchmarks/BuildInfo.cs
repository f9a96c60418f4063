using System.Diagnostics;
using System.Reflection;

namespace Benchmarks;

public static class BuildInfo
{
    public static bool IsDebugBuild(this Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false;
}
