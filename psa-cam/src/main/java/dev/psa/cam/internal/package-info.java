/** Implementation details of psa-cam: the classifier's training task and tensor helpers. */
package dev.psa.cam.internal;
