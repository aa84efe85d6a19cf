package org.qat4j.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Reads a classification table from a CSV file (first line: column names) or a dense ARFF file
 * ({@code @attribute} lines, then {@code @data}), raw or gzip-compressed. The label column is the one
 * named {@code class} (any case), else the last column; every other column must be numeric. Errors
 * name the file, the line and the column.
 */
public final class TabularFileReader {

    private TabularFileReader() {}

    /** Reads {@code file}; ARFF if its name ends in {@code .arff} / {@code .arff.gz} or it starts with {@code @relation}. */
    public static LabeledTable read(Path file) throws IOException {
        return read(file, "class");
    }

    /** Reads {@code file} with the label in column {@code labelColumn} (else the last column). */
    public static LabeledTable read(Path file, String labelColumn) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw DataFileException.ofFile(file, "no such file", null);
        }
        try (BufferedReader reader = open(file)) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            reader.mark(1 << 22);
            String first = firstContentLine(reader);
            reader.reset();
            boolean arff = name.endsWith(".arff")
                    || name.endsWith(".arff.gz")
                    || (first != null && first.trim().toLowerCase(Locale.ROOT).startsWith("@relation"));
            return arff ? readArff(file, reader, labelColumn) : readCsv(file, reader, labelColumn);
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static String firstContentLine(BufferedReader reader) throws IOException {
        String line;
        int n = 0;
        while ((line = reader.readLine()) != null && n++ < 200) {
            String t = line.trim();
            if (!t.isEmpty() && !t.startsWith("%")) {
                return t;
            }
        }
        return null;
    }

    private static LabeledTable readCsv(Path file, BufferedReader reader, String labelColumn) throws IOException {
        String header = reader.readLine();
        long lineNo = 1;
        while (header != null && header.isBlank()) {
            header = reader.readLine();
            lineNo++;
        }
        if (header == null) {
            throw DataFileException.atLine(file, lineNo, "empty file; expected a header line of column names");
        }
        String[] names = splitRow(stripBom(header), file, lineNo);
        int label = labelIndex(names, labelColumn);
        List<String> featureNames = featureNames(names, label);
        Rows rows = new Rows(featureNames.size());
        List<String> labelValues = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = splitRow(line, file, lineNo);
            checkWidth(file, lineNo, cells.length, names.length);
            rows.add(file, lineNo, cells, label, names);
            labelValues.add(cells[label]);
        }
        List<String> classes = sortedClasses(labelValues);
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            index.put(classes.get(c), c);
        }
        int[] labels = new int[labelValues.size()];
        for (int r = 0; r < labels.length; r++) {
            labels[r] = index.get(labelValues.get(r));
        }
        return new LabeledTable(featureNames, rows.toArray(), labels, classes);
    }

    private static LabeledTable readArff(Path file, BufferedReader reader, String labelColumn) throws IOException {
        List<String> names = new ArrayList<>();
        List<List<String>> nominal = new ArrayList<>();
        String line;
        long lineNo = 0;
        boolean inData = false;
        while (!inData && (line = reader.readLine()) != null) {
            lineNo++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("%")) {
                continue;
            }
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.startsWith("@relation")) {
                continue;
            }
            if (lower.startsWith("@data")) {
                inData = true;
            } else if (lower.startsWith("@attribute")) {
                parseAttribute(file, lineNo, t.substring("@attribute".length()).trim(), names, nominal);
            } else {
                throw DataFileException.atLine(
                        file, lineNo, "expected @relation, @attribute or @data, found '" + abbreviate(t) + "'");
            }
        }
        if (!inData) {
            throw DataFileException.atLine(file, lineNo, "no @data section");
        }
        String[] columnNames = names.toArray(new String[0]);
        int label = labelIndex(columnNames, labelColumn);
        List<String> declared = nominal.get(label);
        Map<String, Integer> index = new HashMap<>();
        if (declared != null) {
            for (int c = 0; c < declared.size(); c++) {
                index.put(declared.get(c), c);
            }
        }
        List<String> featureNames = featureNames(columnNames, label);
        Rows rows = new Rows(featureNames.size());
        List<String> labelValues = new ArrayList<>();
        while ((line = reader.readLine()) != null) {
            lineNo++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("%")) {
                continue;
            }
            if (t.startsWith("{")) {
                throw DataFileException.atLine(
                        file, lineNo, "sparse ARFF rows are not supported; write the file dense");
            }
            String[] cells = splitRow(t, file, lineNo);
            checkWidth(file, lineNo, cells.length, columnNames.length);
            rows.add(file, lineNo, cells, label, columnNames);
            String value = cells[label];
            if (declared != null && !index.containsKey(value)) {
                throw DataFileException.atLine(
                        file,
                        lineNo,
                        "label '" + value + "' of column '" + columnNames[label]
                                + "' is not one of the declared values " + declared);
            }
            labelValues.add(value);
        }
        List<String> classes = declared != null ? declared : sortedClasses(labelValues);
        if (declared == null) {
            for (int c = 0; c < classes.size(); c++) {
                index.put(classes.get(c), c);
            }
        }
        int[] labels = new int[labelValues.size()];
        for (int r = 0; r < labels.length; r++) {
            labels[r] = index.get(labelValues.get(r));
        }
        return new LabeledTable(featureNames, rows.toArray(), labels, classes);
    }

    private static void parseAttribute(
            Path file, long lineNo, String rest, List<String> names, List<List<String>> nominal) throws IOException {
        String name;
        String type;
        if (rest.startsWith("'") || rest.startsWith("\"")) {
            char q = rest.charAt(0);
            int end = rest.indexOf(q, 1);
            if (end < 0) {
                throw DataFileException.atLine(file, lineNo, "unterminated quoted attribute name");
            }
            name = rest.substring(1, end);
            type = rest.substring(end + 1).trim();
        } else {
            int space = indexOfWhitespace(rest);
            if (space < 0) {
                throw DataFileException.atLine(file, lineNo, "attribute '" + rest + "' has no type");
            }
            name = rest.substring(0, space);
            type = rest.substring(space).trim();
        }
        names.add(name);
        if (type.startsWith("{")) {
            int end = type.lastIndexOf('}');
            if (end < 0) {
                throw DataFileException.atLine(file, lineNo, "nominal attribute '" + name + "' has no closing '}'");
            }
            List<String> values = new ArrayList<>();
            for (String v : type.substring(1, end).split(",")) {
                values.add(unquote(v.trim()));
            }
            nominal.add(values);
        } else {
            String lower = type.toLowerCase(Locale.ROOT);
            if (!(lower.startsWith("numeric")
                    || lower.startsWith("real")
                    || lower.startsWith("integer")
                    || lower.startsWith("string"))) {
                throw DataFileException.atLine(
                        file,
                        lineNo,
                        "attribute '" + name + "' has unsupported type '" + type
                                + "'; expected numeric, real, integer, string or {nominal values}");
            }
            nominal.add(null);
        }
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int labelIndex(String[] names, String labelColumn) {
        for (int c = 0; c < names.length; c++) {
            if (names[c].equalsIgnoreCase(labelColumn)) {
                return c;
            }
        }
        return names.length - 1;
    }

    private static List<String> featureNames(String[] names, int label) {
        List<String> out = new ArrayList<>(Arrays.asList(names));
        out.remove(label);
        return out;
    }

    private static void checkWidth(Path file, long lineNo, int found, int expected) throws IOException {
        if (found != expected) {
            throw DataFileException.atLine(
                    file, lineNo, found + " cells; expected " + expected + " (one per column of the header)");
        }
    }

    private static List<String> sortedClasses(List<String> values) {
        TreeSet<String> distinct = new TreeSet<>(values);
        boolean numeric = distinct.stream().allMatch(TabularFileReader::isNumber);
        List<String> classes = new ArrayList<>(distinct);
        if (numeric) {
            classes.sort(Comparator.comparingDouble(Double::parseDouble));
        }
        return classes;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Splits one CSV/ARFF data row at commas, honouring single or double quotes. */
    static String[] splitRow(String line, Path file, long lineNo) throws IOException {
        if (line.indexOf('"') < 0 && line.indexOf('\'') < 0) {
            return splitPlain(line);
        }
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    if (i + 1 < line.length() && line.charAt(i + 1) == quote) {
                        cell.append(ch);
                        i++;
                    } else {
                        quote = 0;
                    }
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
            } else if (ch == ',') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        if (quote != 0) {
            throw DataFileException.atLine(file, lineNo, "unterminated quote " + quote);
        }
        cells.add(cell.toString().trim());
        return cells.toArray(new String[0]);
    }

    /** The common case, a row without quotes: split at commas with no per-character copying. */
    private static String[] splitPlain(String line) {
        int n = 1;
        for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
            n++;
        }
        String[] cells = new String[n];
        int from = 0;
        for (int c = 0; c < n; c++) {
            int to = c == n - 1 ? line.length() : line.indexOf(',', from);
            cells[c] = line.substring(from, to).trim();
            from = to + 1;
        }
        return cells;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    /** Growable row-major float storage with per-cell parse errors. */
    private static final class Rows {
        private final int width;
        private float[] data = new float[1 << 12];
        private int size;

        Rows(int width) {
            this.width = width;
        }

        void add(Path file, long lineNo, String[] cells, int label, String[] names) throws IOException {
            if (size + width > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + width));
            }
            for (int c = 0; c < cells.length; c++) {
                if (c == label) {
                    continue;
                }
                String text = cells[c];
                float value;
                try {
                    value = Float.parseFloat(text);
                } catch (NumberFormatException e) {
                    throw DataFileException.atLine(
                            file,
                            lineNo,
                            "column " + (c + 1) + " ('" + names[c] + "'): '" + abbreviate(text) + "' is not a number");
                }
                if (!Float.isFinite(value)) {
                    throw DataFileException.atLine(
                            file,
                            lineNo,
                            "column " + (c + 1) + " ('" + names[c] + "'): " + text + " is not a finite number");
                }
                data[size++] = value;
            }
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
