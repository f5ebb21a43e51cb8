/** Small numerical kernels shared by the solvers of the model (no physics, no I/O). */
package io.iontrap.model.numerics;
