"""Import before torch: keeps OpenBLAS on the calling thread.

Debian's torch calls OpenBLAS (the pthread build), whose own thread pool then runs beside torch's
threads: on our 2 cores that measured 270k context switches per second and a 2-3x slower training
run. torch's --threads decide the parallelism; set OPENBLAS_NUM_THREADS yourself to override.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
