"""langzoo: a modular adapter zoo for multilingual sentence encoders.

Per language: a tokenizer + embedding matrix, a language adapter, a sentence-encoding
adapter and a cross-lingual alignment adapter on one frozen base encoder; a registry
to publish and pull them; a runtime that routes each text to its language's modules.
"""

__version__ = "0.1.0"


def __getattr__(name):
    # Lazy: `import langzoo` stays cheap (no torch import) for the CLI and tools.
    if name == "Zoo":
        from langzoo.runtime.zoo import Zoo

        return Zoo
    raise AttributeError(f"module 'langzoo' has no attribute {name!r}")


__all__ = ["Zoo", "__version__"]
