/**
 * PSA stages 1–2 (REFERENCE.md §Stage 1–2): the image-level classifier ({@link dev.psa.cam.ClassifierNet},
 * trained by {@link dev.psa.cam.ClassifierStage}), multi-scale flipped CAMs ({@link dev.psa.cam.MultiScaleCam},
 * {@link dev.psa.cam.CamStage}, with the CAM-only prediction {@link dev.psa.cam.CamPrediction}) and the
 * confident seed labels ({@link dev.psa.cam.SeedLabels}, {@link dev.psa.cam.SeedStage}). Settings:
 * {@link dev.psa.cam.ClsConfig} ({@code cls.}), {@link dev.psa.cam.CamConfig} ({@code cam.}),
 * {@link dev.psa.cam.SeedConfig} ({@code seeds.}). See docs/psa-cam.md.
 */
package dev.psa.cam;
