using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Onnx;

namespace Scorer.Models.Accurate;

/// <summary>
/// Creates the ONNX Runtime sessions of a model on the configured device and precision. <c>auto</c> tries the
/// CUDA execution provider and falls back to CPU with one warning; <c>cuda</c> fails instead. Whether CUDA
/// works is learnt by appending its provider and creating the session, not from
/// <c>OrtEnv.GetAvailableProviders()</c>, which lists CUDA whenever the CUDA build is installed, loadable or not.
/// </summary>
public sealed class OnnxSessionFactory(AccurateModelOptions options, ILogger<OnnxSessionFactory>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<OnnxSessionFactory>.Instance;

    /// <summary>
    /// Creates <see cref="AccurateModelOptions.Sessions"/> sessions of <paramref name="fp32Model"/>, quantized
    /// to int8 first when the precision (resolved against the device) says so.
    /// </summary>
    /// <param name="fp32Model">The fp32 model; left as it is.</param>
    /// <param name="quantize">Which MatMuls int8 covers (all eligible when null).</param>
    /// <param name="prepareInt8">Applied to the fp32 model before quantizing it (e.g. <see cref="Int8ActivationSmoothing"/>).</param>
    public OnnxSessionSet Create(ModelProto fp32Model, Func<NodeProto, bool>? quantize = null, Func<ModelProto, ModelProto>? prepareInt8 = null)
    {
        Exception? failure = null;
        var useCuda = options.Device != AccurateDevice.Cpu && CudaLoads(out failure);
        if (failure is not null)
        {
            OnCudaUnavailable(failure);
        }

        if (useCuda)
        {
            try
            {
                return CreateOn(fp32Model, cuda: true, quantize, prepareInt8);
            }
            catch (Exception e) when (e is OnnxRuntimeException && options.Device == AccurateDevice.Auto)
            {
                OnCudaUnavailable(e);
            }
        }

        return CreateOn(fp32Model, cuda: false, quantize, prepareInt8);
    }

    /// <summary>Whether the CUDA execution provider loads here (its libraries and a device are present).</summary>
    public bool CudaLoads(out Exception? failure)
    {
        // ONNX Runtime logs its own error when the provider library does not load; the caller logs one clear
        // line instead, so its native logger stays quiet during the probe.
        var environment = OrtEnv.Instance();
        var level = environment.EnvLogLevel;
        environment.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            using var probe = new SessionOptions();
            probe.AppendExecutionProvider_CUDA(options.CudaDeviceId);
            failure = null;
            return true;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            failure = e;
            return false;
        }
        finally
        {
            environment.EnvLogLevel = level;
        }
    }

    private void OnCudaUnavailable(Exception failure)
    {
        if (options.Device == AccurateDevice.Cuda)
        {
            throw new InvalidOperationException(
                $"{AccurateModelOptions.SectionName}:Device is 'cuda' but the CUDA execution provider of ONNX Runtime " +
                $"cannot be used on device {options.CudaDeviceId}: {FirstLine(failure.Message).TrimEnd('.')}. " +
                "The CUDA build of ONNX Runtime 1.31 needs a GPU, its driver, and the CUDA 13 (cudart, cuBLAS, cuRAND) and cuDNN libraries on the library path " +
                "(ONNX Runtime's own error log names the one missing); otherwise set Device to 'auto' or 'cpu'.",
                failure);
        }

        _logger.LogWarning("CUDA is not available to the accurate model ({Reason}); it runs on CPU.", FirstLine(failure.Message));
    }

    private OnnxSessionSet CreateOn(ModelProto fp32Model, bool cuda, Func<NodeProto, bool>? quantize, Func<ModelProto, ModelProto>? prepareInt8)
    {
        var precision = options.Precision switch
        {
            AccuratePrecision.Auto => cuda ? AccuratePrecision.Fp32 : AccuratePrecision.Int8,
            var explicitPrecision => explicitPrecision,
        };
        var model = precision == AccuratePrecision.Int8
            ? DynamicInt8Quantizer.Quantize(prepareInt8?.Invoke(fp32Model) ?? fp32Model, quantize).Model
            : fp32Model;
        var bytes = model.ToByteArray();

        var sessions = new List<InferenceSession>(options.Sessions);
        try
        {
            for (var i = 0; i < options.Sessions; i++)
            {
                using var sessionOptions = CreateSessionOptions(cuda);
                sessions.Add(new InferenceSession(bytes, sessionOptions));
            }
        }
        catch
        {
            sessions.ForEach(s => s.Dispose());
            throw;
        }

        return new OnnxSessionSet([.. sessions], cuda ? "cuda" : "cpu", precision);
    }

    private SessionOptions CreateSessionOptions(bool cuda)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.ThreadsPerSession,
            InterOpNumThreads = 1,
        };

        try
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
            if (cuda)
            {
                sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
            }

            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static string FirstLine(string message)
    {
        var line = message.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).ToString();
    }
}
