package dev.psa.data.voc;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import dev.psa.api.ClassList;
import dev.psa.api.ImageSample;
import dev.psa.api.LabelMap;
import dev.psa.api.Names;
import dev.psa.api.PsaException;
import dev.psa.api.Sample;
import dev.psa.api.io.Locations;
import dev.psa.api.spi.Dataset;
import dev.psa.data.internal.DatasetFiles;
import dev.psa.data.io.LabelPng;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;

/**
 * PASCAL VOC 2012 in its standard layout ({@code VOCdevkit/VOC2012/{JPEGImages, Annotations,
 * SegmentationClass, ImageSets/Segmentation}}), with the SBD augmentation
 * ({@code SegmentationClassAug/}, split {@code train_aug}) when present.
 *
 * <ul>
 *   <li>Splits: every {@code ImageSets/Segmentation/<split>.txt} ({@code train}, {@code val},
 *       {@code trainval}, {@code test}), {@code train_aug} (list at
 *       {@code ImageSets/SegmentationAug/train_aug.txt}, {@code ImageSets/Segmentation/train_aug.txt}
 *       or {@code <root>/train_aug.txt}, masks from {@code SegmentationClassAug/}), or the path of
 *       any id-list file.</li>
 *   <li>Images {@code JPEGImages/<id>.jpg} (also {@code .jpeg}, {@code .png}).</li>
 *   <li>Masks {@code SegmentationClass/<id>.png}, else {@code SegmentationClassAug/<id>.png}.</li>
 *   <li>Image-level labels from {@code Annotations/<id>.xml} ({@code <object><name>}, difficult
 *       objects included), else from the mask's classes; an unknown class name is an error naming
 *       the file.</li>
 *   <li>Classes: the 20 VOC classes, unless the root holds a {@code classes.txt} (one name per
 *       line, background first), as written by {@code psa data synth}.</li>
 * </ul>
 * Ids are checked (no separators, no {@code ..}) and every path is resolved inside the root.
 */
public final class Voc2012Dataset implements Dataset {
    /** The SBD split. */
    public static final String TRAIN_AUG = "train_aug";
    /** Optional class list file in the root. */
    public static final String CLASSES_FILE = "classes.txt";

    private final Path root;
    private final ClassList classes;
    private final Map<String, List<Sample>> cache = new ConcurrentHashMap<>();

    private Voc2012Dataset(Path root, ClassList classes) {
        this.root = root;
        this.classes = classes;
    }

    /**
     * Opens a VOC-layout folder.
     *
     * @param root the VOC2012 folder (holding JPEGImages/, SegmentationClass/, ImageSets/, …) or a
     *             VOCdevkit folder with VOC2012/ below it
     * @throws PsaException naming the folder and what was expected when it is neither
     */
    public static Voc2012Dataset open(Path root) {
        requireNonNull(root, "root is null");
        Path r = resolveRoot(root);
        return new Voc2012Dataset(r, readClasses(r));
    }

    /** The VOC2012 folder that {@code root} names (itself, or {@code root/VOC2012}). */
    public static Path resolveRoot(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new PsaException(Locations.string(abs) + ": dataset folder not found (key data.root)");
        }
        if (isVocFolder(abs)) {
            return abs;
        }
        if (isVocFolder(abs.resolve("VOC2012"))) {
            return abs.resolve("VOC2012");
        }
        throw new PsaException(abs + ": not a VOC 2012 folder: expected JPEGImages/, SegmentationClass/ or"
                + " ImageSets/ in it, or a VOC2012/ folder below it (a VOCdevkit)");
    }

    private static boolean isVocFolder(Path p) {
        return Files.isDirectory(p.resolve("JPEGImages")) || Files.isDirectory(p.resolve("SegmentationClass"))
                || Files.isDirectory(p.resolve("ImageSets"));
    }

    private static ClassList readClasses(Path root) {
        Path f = root.resolve(CLASSES_FILE);
        if (!Files.isRegularFile(f)) {
            return ClassList.voc();
        }
        return DatasetFiles.readClassList(f);
    }

    /** The VOC2012 folder. */
    public Path root() {
        return root;
    }

    @Override
    public ClassList classes() {
        return classes;
    }

    /** The lists under ImageSets/Segmentation, plus train_aug when its list is found. */
    @Override
    public List<String> splits() {
        TreeSet<String> out = new TreeSet<>();
        out.addAll(DatasetFiles.listSplits(root.resolve("ImageSets/Segmentation")));
        if (augList().isPresent()) {
            out.add(TRAIN_AUG);
        }
        return List.copyOf(out);
    }

    @Override
    public List<Sample> samples(String split) {
        requireNonNull(split, "split is null");
        return cache.computeIfAbsent(split, this::build);
    }

    private List<Sample> build(String split) {
        Path list;
        boolean aug = false;
        if (DatasetFiles.isListFile(split)) {
            list = Locations.path(split);
        } else if (split.equals(TRAIN_AUG)) {
            list = augList().orElseThrow(() -> new PsaException("split train_aug needs the SBD augmentation, but "
                    + "its id list is missing: looked for " + augListCandidates() + ". Add the 10,582-id train_aug"
                    + " list there (and SBD's SegmentationClassAug/ masks), or set data.list to an id-list file"));
            aug = true;
            if (!Files.isDirectory(root.resolve("SegmentationClassAug"))) {
                throw new PsaException("split train_aug needs the SBD masks, but " + root.resolve("SegmentationClassAug")
                        + " is missing. Put the SegmentationClassAug/ folder of the SBD augmentation there");
            }
        } else {
            list = DatasetFiles.inside(root, root.resolve("ImageSets/Segmentation"), split + ".txt");
            if (!Files.isRegularFile(list)) {
                List<String> known = splits();
                throw new PsaException("unknown split '" + split + "' (key data.split): " + list + " not found."
                        + " Available: " + known + "." + Names.didYouMean(split, known)
                        + " Or set data.list to an id-list file");
            }
        }
        List<Sample> out = new ArrayList<>();
        for (String id : DatasetFiles.readIds(list)) {
            out.add(sample(id, aug));
        }
        return List.copyOf(out);
    }

    private Sample sample(String id, boolean aug) {
        Path image = DatasetFiles.image(root, root.resolve("JPEGImages"), id);
        Path cls = DatasetFiles.inside(root, root.resolve("SegmentationClass"), id + ".png");
        Path augMask = DatasetFiles.inside(root, root.resolve("SegmentationClassAug"), id + ".png");
        Optional<Path> mask;
        if (aug) {
            mask = Files.isRegularFile(augMask) ? Optional.of(augMask) : Optional.empty();
        } else {
            mask = Files.isRegularFile(cls) ? Optional.of(cls)
                    : Files.isRegularFile(augMask) ? Optional.of(augMask) : Optional.empty();
        }
        Path xml = DatasetFiles.inside(root, root.resolve("Annotations"), id + ".xml");
        int[] labels;
        if (Files.isRegularFile(xml)) {
            labels = labelsFromXml(xml, classes);
        } else if (mask.isPresent()) {
            LabelMap m = LabelPng.read(mask.get()).validate(classes.size(), mask.get().toString());
            labels = foreground(m.classesPresent());
        } else {
            labels = new int[0];
        }
        return new Sample(id, image, mask, labels);
    }

    private static int[] foreground(int[] present) {
        return Arrays.stream(present).filter(c -> c > 0).toArray();
    }

    @Override
    public ImageSample load(Sample sample) {
        requireNonNull(sample, "sample is null");
        return DatasetFiles.load(sample, classes);
    }

    private Optional<Path> augList() {
        return augListCandidates().stream().filter(Files::isRegularFile).findFirst();
    }

    private List<Path> augListCandidates() {
        return List.of(root.resolve("ImageSets/SegmentationAug/train_aug.txt"),
                root.resolve("ImageSets/Segmentation/train_aug.txt"), root.resolve("train_aug.txt"));
    }

    /**
     * The foreground classes named by a VOC annotation's {@code <object><name>} elements (part
     * names of the person layout are not objects and are not read).
     *
     * @return sorted distinct class ids 1..K-1
     * @throws PsaException naming the file for malformed XML or an unknown class name
     */
    public static int[] labelsFromXml(Path xml, ClassList classes) {
        Document doc = parse(xml);
        TreeSet<Integer> ids = new TreeSet<>();
        NodeList objects = doc.getDocumentElement().getChildNodes();
        for (int i = 0; i < objects.getLength(); i++) {
            Node n = objects.item(i);
            if (n instanceof Element e && e.getTagName().equals("object")) {
                String name = childText(e, "name");
                if (name == null || name.isBlank()) {
                    throw new PsaException(xml + ": an <object> has no <name>");
                }
                int id = classes.names().indexOf(name.strip());
                if (id <= 0) {
                    throw new PsaException(xml + ": unknown class name '" + name.strip() + "'; known classes: "
                            + classes.names().subList(1, classes.size()) + "."
                            + Names.didYouMean(name.strip(), classes.names()));
                }
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String childText(Element e, String tag) {
        NodeList kids = e.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if (kids.item(i) instanceof Element k && k.getTagName().equals(tag)) {
                return k.getTextContent();
            }
        }
        return null;
    }

    /** Parses XML without DTDs or external entities (nothing outside the file is read). */
    static Document parse(Path xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.ErrorHandler() {
                @Override
                public void warning(org.xml.sax.SAXParseException e) {
                }

                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            try (InputStream in = Files.newInputStream(xml)) {
                return b.parse(in, xml.toString());
            }
        } catch (NoSuchFileException e) {
            throw new PsaException(xml + ": file not found");
        } catch (SAXException e) {
            throw new PsaException(xml + ": malformed annotation XML: " + e.getMessage(), e);
        } catch (IOException | ParserConfigurationException e) {
            throw new PsaException(xml + ": cannot read annotation: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Voc2012Dataset[" + root + "]";
    }
}
