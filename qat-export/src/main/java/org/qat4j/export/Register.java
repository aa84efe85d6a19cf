package org.qat4j.export;

/**
 * One register of generated code: its name ({@code <op>.acc} for a whole layer, {@code <op>.acc[c]}
 * for one channel), the width the generated code declares, and the width the checked certificate
 * proves it needs. Sound when {@code declaredBits >= neededBits}.
 *
 * @param name register name
 * @param declaredBits declared signed width
 * @param neededBits proven signed width
 */
public record Register(String name, int declaredBits, int neededBits) {}
