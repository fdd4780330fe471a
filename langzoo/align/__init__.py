"""Word alignment from the composed encoders (``Zoo.align``, ``zoo align``) and its evaluation."""
