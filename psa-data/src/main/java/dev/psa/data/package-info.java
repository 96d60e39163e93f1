/**
 * Datasets and their configuration: the data commands (synthesise, statistics) and the dataset sections of the config.
 */
package dev.psa.data;
