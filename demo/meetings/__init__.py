"""Demo arenas, a year of their meetings (`year`, one module per country), and concerns
(`concerns`), built through the dialogue services. Called by demo.world."""
