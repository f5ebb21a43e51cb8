/** Small numerical kernels shared across the suite: the GMRES least-squares step, categorical sampling (no physics, no I/O). */
package io.iontrap.model.numerics;
