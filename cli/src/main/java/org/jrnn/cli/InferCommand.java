package org.jrnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.jrnn.interop.Npy;
import org.jrnn.interop.PyTorchRnn;
import org.jrnn.interop.RnnConfig;
import org.jrnn.interop.SafeTensors;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jrnn infer}: runs a PyTorch {@code nn.LSTM/GRU/RNN} from its state_dict on .npy inputs. */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a recurrent network trained in PyTorch (nn.LSTM, nn.GRU, nn.RNN) on .npy inputs and "
                + "writes its outputs as .npy: PyTorch's output, h_n = rnn(input, h0) (and c_n for the LSTM).",
                "The config file has the nn.* arguments: mode (LSTM, GRU, RNN_TANH, RNN_RELU), batch_first, and "
                        + "optionally input_size, hidden_size, num_layers, bias, bidirectional (else read from "
                        + "the weights)."})
final class InferCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "The state_dict (.safetensors).")
    Path weights;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "config.json.")
    Path config;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "x.npy: [seq, batch, input] or, with batch_first, [batch, seq, input].")
    Path input;

    @Option(names = "--h0", paramLabel = "FILE", description = "Initial hidden state [layers·directions, batch, hidden].")
    Path h0;

    @Option(names = "--c0", paramLabel = "FILE", description = "Initial cell state (LSTM).")
    Path c0;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where y.npy goes.")
    Path output;

    @Option(names = "--h-n", paramLabel = "FILE", description = "Where the final hidden states go.")
    Path hN;

    @Option(names = "--c-n", paramLabel = "FILE", description = "Where the final cell states go (LSTM).")
    Path cN;

    @Option(names = "--prefix", defaultValue = "", description = "Prefix of the tensor names, e.g. 'rnn.' (default: none).")
    String prefix;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws IOException {
        SafeTensors tensors = SafeTensors.read(existing(weights, "weights"));
        RnnConfig rnnConfig = RnnConfig.read(existing(config, "config"), tensors, prefix);
        boolean lstm = rnnConfig.cell().hasCellState();
        if (!lstm && (c0 != null || cN != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--c0 and --c-n are for the LSTM; this is a "
                    + rnnConfig.mode());
        }
        PyTorchRnn rnn = PyTorchRnn.load(runtime.backend(), rnnConfig, tensors, prefix);
        Npy.Array x = Npy.read(existing(input, "input"));
        if (x.shape().length != 3 || x.shape()[2] != rnnConfig.inputSize()) {
            throw new CliException(input + " has shape " + x.shapeText() + ", expected " + (rnnConfig.batchFirst()
                    ? "[batch, seq, " : "[seq, batch, ") + rnnConfig.inputSize() + "]");
        }
        int seq = rnnConfig.batchFirst() ? x.shape()[1] : x.shape()[0];
        int batch = rnnConfig.batchFirst() ? x.shape()[0] : x.shape()[1];
        if (seq < 1 || batch < 1) {
            throw new CliException(input + " has shape " + x.shapeText() + "; sequences and batch must be non-empty");
        }
        int[] stateShape = rnn.stateShape(batch);
        float[] h = state(h0, "h0", stateShape);
        float[] c = state(c0, "c0", stateShape);
        PyTorchRnn.Result result = rnn.forward(x.values(), seq, batch, h, c);
        Npy.write(output, new Npy.Array(rnn.outputShape(seq, batch), result.output()));
        if (hN != null) {
            Npy.write(hN, new Npy.Array(stateShape, result.hN()));
        }
        if (cN != null) {
            Npy.write(cN, new Npy.Array(stateShape, result.cN()));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "%s: %s of %d layer(s)%s, %d step(s) × %d sequence(s) → %s %s",
                weights, rnnConfig.mode(), rnnConfig.numLayers(), rnnConfig.bidirectional() ? ", bidirectional" : "",
                seq, batch, output, Arrays.toString(rnn.outputShape(seq, batch))));
        out.flush();
        return 0;
    }

    private static Path existing(Path file, String what) {
        if (!Files.exists(file)) {
            throw new CliException(what + " file " + file + " does not exist");
        }
        return file;
    }

    private static float[] state(Path file, String name, int[] shape) throws IOException {
        if (file == null) {
            return null;
        }
        Npy.Array a = Npy.read(existing(file, name));
        if (!Arrays.equals(a.shape(), shape)) {
            throw new CliException(file + " (" + name + ") has shape " + a.shapeText() + ", expected "
                    + Arrays.toString(shape));
        }
        return a.values();
    }
}
