from .deeper import deep_function as deep_function
