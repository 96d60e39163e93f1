package dev.psa.cam;

/** {@code psa train-cls}: trains the stage-1 classifier into {@code <run>/cls/}. */
public final class ClassifierStage {
    /** Folder of the classifier inside a run. */
    public static final String DIR = "cls";
    /** The trained parameters inside {@link #DIR}. */
    public static final String MODEL = "model.npz";

    private ClassifierStage() {
    }
}
