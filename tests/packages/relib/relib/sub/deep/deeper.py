async def deep_function():
    pass
