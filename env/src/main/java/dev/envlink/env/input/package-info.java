/**
 * Install inputs: what to install, read from a pixi lock file ({@link dev.envlink.env.input.PixiLockFile},
 * formats 6 and 7) or a conda explicit spec ({@link dev.envlink.env.input.ExplicitSpec}), as
 * {@link dev.envlink.env.input.InstallInputs}: conda archives to install
 * ({@link dev.envlink.env.input.PackageRef}) and entries envlink cannot install
 * ({@link dev.envlink.env.input.UnsupportedEntry}: PyPI packages, conda packages built from source).
 */
package dev.envlink.env.input;
