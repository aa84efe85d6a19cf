package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularFileReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsCsvWithQuotedHeaderAndStringLabels() throws IOException {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "\"a\",\"b\",\"class\"\n1.5,-2,\"t\"\n\n0,3e2,g\n4,5,t\n");
        LabeledTable t = TabularFileReader.read(csv);
        assertEquals(List.of("a", "b"), t.featureNames());
        assertEquals(List.of("g", "t"), t.classNames());
        assertArrayEquals(new float[] {1.5f, -2f, 0f, 300f, 4f, 5f}, t.features());
        assertArrayEquals(new int[] {1, 0, 1}, t.labels());
    }

    @Test
    void labelColumnMayBeAnywhereAndNumericLabelsSortNumerically() throws IOException {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "class,x\n10,1\n2,2\n");
        LabeledTable t = TabularFileReader.read(csv);
        assertEquals(List.of("2", "10"), t.classNames());
        assertArrayEquals(new int[] {1, 0}, t.labels());
        assertArrayEquals(new float[] {1f, 2f}, t.features());
    }

    @Test
    void nonNumericCsvCellNamesFileLineAndColumn() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "a,b,class\n1,2,q\n3,abc,w\n");
        DataFileException e = assertThrows(DataFileException.class, () -> TabularFileReader.read(csv));
        assertTrue(e.getMessage().contains(csv.toString()) && e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(
                e.getMessage().contains("column 2 ('b')") && e.getMessage().contains("'abc' is not a number"),
                e.getMessage());
    }

    @Test
    void wrongCellCountNamesTheLine() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "a,b,class\n1,2,q\n3,w\n");
        DataFileException e = assertThrows(DataFileException.class, () -> TabularFileReader.read(csv));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("2 cells; expected 3"), e.getMessage());
    }

    @Test
    void readsArffKeepingTheDeclaredClassOrder() throws IOException {
        Path arff = dir.resolve("jets.arff");
        Files.writeString(
                arff,
                "% comment\n@RELATION jets\n\n@ATTRIBUTE 'zlogz' NUMERIC\n@attribute mass real\n"
                        + "@attribute class {'q','g',t}\n@data\n1,2,g\n% c\n3,4,'q'\n5,6,t\n");
        LabeledTable t = TabularFileReader.read(arff);
        assertEquals(List.of("zlogz", "mass"), t.featureNames());
        assertEquals(List.of("q", "g", "t"), t.classNames());
        assertArrayEquals(new int[] {1, 0, 2}, t.labels());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.features());
    }

    @Test
    void arffErrorsNameTheLine() throws IOException {
        Path undeclared = dir.resolve("u.arff");
        Files.writeString(undeclared, "@relation r\n@attribute x numeric\n@attribute class {a,b}\n@data\n1,a\n2,c\n");
        DataFileException e = assertThrows(DataFileException.class, () -> TabularFileReader.read(undeclared));
        assertTrue(e.getMessage().contains("line 6") && e.getMessage().contains("'c'"), e.getMessage());

        Path missing = dir.resolve("m.arff");
        Files.writeString(missing, "@relation r\n@attribute x numeric\n@attribute class {a,b}\n@data\n?,a\n");
        DataFileException m = assertThrows(DataFileException.class, () -> TabularFileReader.read(missing));
        assertTrue(m.getMessage().contains("line 5") && m.getMessage().contains("'?' is not a number"), m.getMessage());

        Path noData = dir.resolve("n.arff");
        Files.writeString(noData, "@relation r\n@attribute x numeric\n");
        DataFileException n = assertThrows(DataFileException.class, () -> TabularFileReader.read(noData));
        assertTrue(n.getMessage().contains("no @data"), n.getMessage());
    }
}
