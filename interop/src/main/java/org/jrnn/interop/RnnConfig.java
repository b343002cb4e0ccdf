package org.jrnn.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jrnn.core.Cell;

/**
 * The arguments of PyTorch's {@code nn.LSTM}, {@code nn.GRU} and {@code nn.RNN} that a state_dict does not
 * carry in full, as the fields of a {@code config.json}: {@code mode} ({@code LSTM}, {@code GRU},
 * {@code RNN_TANH}, {@code RNN_RELU}), {@code input_size}, {@code hidden_size}, {@code num_layers}, {@code bias},
 * {@code batch_first}, {@code bidirectional}. Other fields are ignored.
 */
public record RnnConfig(String mode, int inputSize, int hiddenSize, int numLayers, boolean bias,
                        boolean batchFirst, boolean bidirectional) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("(weight|bias)_(ih|hh)_l(\\d+)(_reverse)?");

    public RnnConfig {
        cell(mode);
        if (inputSize < 1 || hiddenSize < 1 || numLayers < 1) {
            throw new IllegalArgumentException("config: input_size, hidden_size and num_layers must be >= 1, found "
                    + inputSize + ", " + hiddenSize + ", " + numLayers);
        }
    }

    /** The jrnn cell of a PyTorch mode (PyTorch's GRU is the reset-after form). */
    public static Cell cell(String mode) {
        return switch (mode == null ? "" : mode) {
            case "LSTM" -> Cell.LSTM;
            case "GRU" -> Cell.GRU;
            case "RNN_TANH" -> Cell.RNN_TANH;
            case "RNN_RELU" -> Cell.RNN_RELU;
            default -> throw new IllegalArgumentException("config: mode must be LSTM, GRU, RNN_TANH or RNN_RELU, found "
                    + (mode == null ? "none" : "'" + mode + "'"));
        };
    }

    public Cell cell() {
        return cell(mode);
    }

    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Gate blocks: 4 (LSTM), 3 (GRU), 1 (RNN). */
    public int gates() {
        return gates(mode);
    }

    /** Gate blocks of a mode. */
    public static int gates(String mode) {
        return switch (cell(mode)) {
            case LSTM -> 4;
            case GRU, GRU_RESET_BEFORE -> 3;
            default -> 1;
        };
    }

    /**
     * Reads a config.json. Fields the state_dict can supply ({@code input_size}, {@code hidden_size},
     * {@code num_layers}, {@code bias}, {@code bidirectional}) may be left out when {@code weights} is given and
     * are then inferred from it; given ones must agree with it.
     *
     * @throws IOException naming a missing or malformed field or a disagreement with the weights
     */
    public static RnnConfig read(Path file, SafeTensors weights, String prefix) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": expected a JSON object");
        }
        JsonNode mode = root.get("mode");
        if (mode == null || !mode.isTextual()) {
            throw new IOException(file + ": needs \"mode\": \"LSTM\", \"GRU\", \"RNN_TANH\" or \"RNN_RELU\"");
        }
        boolean batchFirst = bool(file, root, "batch_first", false);
        RnnConfig inferred = weights == null ? null : infer(weights, prefix, mode.asText(), batchFirst);
        try {
            RnnConfig config = new RnnConfig(mode.asText(),
                    integer(file, root, "input_size", inferred == null ? null : inferred.inputSize()),
                    integer(file, root, "hidden_size", inferred == null ? null : inferred.hiddenSize()),
                    integer(file, root, "num_layers", inferred == null ? null : inferred.numLayers()),
                    bool(file, root, "bias", inferred == null || inferred.bias()), batchFirst,
                    bool(file, root, "bidirectional", inferred != null && inferred.bidirectional()));
            if (inferred != null && !inferred.equals(config)) {
                throw new IOException(file + ": the config " + config.describe() + " disagrees with the weights, which "
                        + "hold " + inferred.describe());
            }
            return config;
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static int integer(Path file, JsonNode root, String name, Integer fallback) throws IOException {
        JsonNode n = root.get(name);
        if (n == null) {
            if (fallback == null) {
                throw new IOException(file + ": needs \"" + name + "\" (an integer)");
            }
            return fallback;
        }
        if (!n.isIntegralNumber()) {
            throw new IOException(file + ": \"" + name + "\" must be an integer, found " + n);
        }
        return n.asInt();
    }

    private static boolean bool(Path file, JsonNode root, String name, boolean fallback) throws IOException {
        JsonNode n = root.get(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw new IOException(file + ": \"" + name + "\" must be true or false, found " + n);
        }
        return n.asBoolean();
    }

    /**
     * Infers layers, directions, sizes and bias from the names and shapes of a state_dict whose recurrent tensors
     * are named {@code prefix + "weight_ih_l0"} etc.
     *
     * @throws IllegalArgumentException naming what does not fit together
     */
    public static RnnConfig infer(SafeTensors weights, String prefix, String mode, boolean batchFirst) {
        int gates = gates(mode);
        int layers = 0;
        boolean reverse = false;
        boolean bias = false;
        for (String name : weights.tensors().keySet()) {
            if (!name.startsWith(prefix)) {
                continue;
            }
            Matcher m = NAME.matcher(name.substring(prefix.length()));
            if (m.matches()) {
                layers = Math.max(layers, Integer.parseInt(m.group(3)) + 1);
                reverse |= m.group(4) != null;
                bias |= m.group(1).equals("bias");
            }
        }
        SafeTensors.Tensor ih = weights.get(prefix + "weight_ih_l0");
        SafeTensors.Tensor hh = weights.get(prefix + "weight_hh_l0");
        if (layers == 0 || ih == null || hh == null || ih.shape().length != 2 || hh.shape().length != 2) {
            throw new IllegalArgumentException("weights: no 2-D " + prefix + "weight_ih_l0 and " + prefix
                    + "weight_hh_l0 found; the tensors are " + weights.tensors().keySet());
        }
        int hidden = hh.shape()[1];
        if (hh.shape()[0] != gates * hidden) {
            throw new IllegalArgumentException("weights: " + prefix + "weight_hh_l0 has shape " + hh.shapeText()
                    + ", a " + mode + " needs [" + gates + "·hidden, hidden]; is the mode right?");
        }
        return new RnnConfig(mode, ih.shape()[1], hidden, layers, bias, batchFirst, reverse);
    }

    /** The fields, as config.json spells them. */
    public String describe() {
        return "mode=" + mode + " input_size=" + inputSize + " hidden_size=" + hiddenSize + " num_layers="
                + numLayers + " bias=" + bias + " batch_first=" + batchFirst + " bidirectional=" + bidirectional;
    }

    /** This config as a JSON object (for writing beside exported weights). */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("mode", mode);
        o.put("input_size", inputSize);
        o.put("hidden_size", hiddenSize);
        o.put("num_layers", numLayers);
        o.put("bias", bias);
        o.put("batch_first", batchFirst);
        o.put("bidirectional", bidirectional);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
