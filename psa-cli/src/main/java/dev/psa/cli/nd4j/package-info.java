/**
 * ND4J start-up: which nd4j-native build (generic, oneDNN, CPU-specific) the process loads, chosen
 * from the CPU's features before any ND4J class loads.
 */
package dev.psa.cli.nd4j;
