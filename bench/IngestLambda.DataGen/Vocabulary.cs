namespace IngestLambda.DataGen;

/// <summary>
/// Word pools the rows are assembled from. Mostly Latin text with accents (the real files are IMDB titles and names from
/// everywhere), some Cyrillic, CJK, Arabic and Greek, and the awkward cases docs/contracts.md ("Format") calls out: unquoted commas and
/// double quotes as plain text. None contains '|', CR, LF or NUL.
/// </summary>
internal static class Vocabulary
{
    public static readonly string[] Adjectives =
    [
        "Broken", "Lonely", "Young", "Old", "Little", "Deadly", "Crimson", "Hollow", "Frozen", "Savage", "Forgotten",
        "Burning", "Endless", "Invisible", "Red", "Empty", "Bitter", "Silent", "Golden", "Dark", "Last", "Wild",
        "Secret", "Strange", "Lost", "Sweet", "Dangerous", "Naked", "Eternal", "Hidden", "Blue", "Final",
    ];

    public static readonly string[] Nouns =
    [
        "Teacher", "Night", "Storm", "Love", "Dream", "Forest", "Machine", "Sun", "Stranger", "Street", "Girl", "Boy",
        "Promise", "Desert", "City", "Island", "Garden", "Journey", "House", "Brother", "Daughter", "Friend", "Heart",
        "Spring", "Summer", "Winter", "Silence", "Man", "Woman", "Money", "Hunter", "Letter", "Signal", "Harbor",
        "Escape", "Angel", "Soldier", "River", "Mountain", "Road", "Shadow", "King", "Queen", "Mirror", "Train",
    ];

    /// <summary>Whole titles, including the classic troublemakers for RFC 4180 readers.</summary>
    public static readonly string[] NotableTitles =
    [
        "Hamlet, Prince of Denmark", "\"Crocodile\" Dundee", "\"", "The \"Best\" Years", "Hello, Dolly!",
        "Crouching Tiger, Hidden Dragon", "Sex, Lies, and Videotape", "Me, Myself & Irene", "M*A*S*H", "Se7en", "8½",
        "Amélie", "WALL·E", "Léon: The Professional", "¿Qué he hecho yo para merecer esto!!", "Tôkyô monogatari",
        "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb", "O Brother, Where Art Thou?",
        "\"Weird Al\" Yankovic: The Ultimate Video Collection", "Mr. & Mrs. Smith", "Good Bye, Lenin!", "Ça tourne",
        "Kiss Kiss Bang Bang", "¡Three Amigos!", "The Good, the Bad and the Ugly", "Tick, Tick... Boom!",
        "Don't Look Up", "It's a Wonderful Life", "Love 💔 Story", "🎬 Premiere Night", "Pizza 🍕 Party",
        "Birdman or (The Unexpected Virtue of Ignorance)", "Schindler's List", "Caché", "Fünf Freunde",
        "Ōkami Kodomo no Ame to Yuki", "Sjöman og Nøgle", "Ação e Reação", "Rüya ve Kış", "Crônicas de Favela",
    ];

    /// <summary>Original titles in their own language and script.</summary>
    public static readonly string[] ForeignTitles =
    [
        "千と千尋の神隠し", "霸王别姬", "괴물", "기생충", "告白", "七人の侍", "花樣年華", "올드보이", "重慶森林",
        "Москва слезам не верит", "Брат", "Сталкер", "Иди и смотри", "Летят журавли", "Солярис",
        "باب الحديد", "وجدة", "الرسالة", "Ζορμπάς", "Ο Θίασος", "Cidade de Deus", "Der Himmel über Berlin",
        "Det sjunde inseglet", "Kimi no na wa", "Le fabuleux destin d'Amélie Poulain", "La vita è bella",
        "Ladri di biciclette", "Yôjinbô", "Das Leben der Anderen", "El laberinto del fauno", "Mera Dil", "Aakhri Dil",
        "Salinui chueok", "Moskva slezam ne verit", "Lágrimas de São Paulo", "Ölümlü Dünya", "Jagten", "Kärlek och ära",
        "Pójdź za mną", "Łzy księżyca", "Tình người", "Ánh trăng", "กลับบ้าน", "अंदाज़ अपना अपना", "শোলে",
    ];

    public static readonly string[] ForeignPatternsStart = ["Don Juan de", "El Último", "La Niña del", "Le Camélias de la", "Il Morte della", "Der Schwester der", "Los", "Guerra e", "Nuit et", "Locura de", "João, a", "L'origine de la"];
    public static readonly string[] ForeignWords = ["Río", "Compañero", "Pequeña", "Niñas", "Lágrimas", "Muerte", "Château", "Città", "Schwester", "Luna", "Rêve", "Vida", "Ombre", "Noche", "Coração", "Mädchen", "Sœur", "Ñandú", "Øya", "Ärzte"];

    public static readonly string[] FirstNames =
    [
        "Paulo", "Agnès", "Christiane", "Peter", "Letícia", "Ramón", "George", "Márcia", "Louis", "Robert", "Lucas",
        "Charles", "Giuseppe", "María", "Jennifer", "Ingrid", "Fernanda", "Ángela", "Harry", "Sebastián", "Michelle",
        "Françoise", "Héctor", "Emily", "Maggi", "Carl", "Axel", "David", "Björn", "Steven", "Marcello", "Jørgen",
        "Conceição", "Jürgen", "Natalya", "Ana", "Linda", "Grace", "Ivan", "Hans", "Martín", "Andrés", "Donna",
        "Carol", "Tae-ri", "Min-hee", "Ryûnosuke", "Priya", "Çağan", "Şebnem", "Zoë", "Noémie", "Olumide", "Siobhán",
        "Đorđe", "Ólafur", "Kateřina", "Mykoła", "Aiyana", "Wojciech", "Ngozi", "Yūko", "Søren", "Ludvík",
    ];

    public static readonly string[] LastNames =
    [
        "Santos", "Mjönes", "Williams", "Baker", "Smith", "Oliveira", "Sørensen", "Pereira", "Brandão", "Thomas",
        "Fernández", "Davis", "Köhler", "King", "Allen", "Peña", "Gómez", "Fønss", "Roberts", "Bérénice", "García",
        "Rodrigues", "Nascimento", "Núñez", "Russo", "Muñoz", "Åkerman", "Petrov", "Ruiz-Tagle", "Schröder", "Souza",
        "O'Brien", "O'Connor", "MacLeod", "Fernandes", "Gauthier", "Costa", "Körlof", "Yıldız", "Dvořák", "Kowalczyk",
        "Nguyễn", "Takahashi", "Øvrebø", "Ibáñez", "Lindqvist", "Adébáyọ̀", "Jovanović", "Þórsdóttir", "Müller",
    ];

    public static readonly string[] NameParticles = ["dos", "da", "del", "de la", "van der", "von", "di", "der", "du", "ibn"];

    /// <summary>Whole names in non-Latin scripts.</summary>
    public static readonly string[] ForeignNames =
    [
        "山田太郎", "三船敏郎", "김민지", "송강호", "张曼玉", "梁朝偉", "Иван Петров", "Андрей Тарковский", "Людмила Гурченко",
        "محمد عبد الوهاب", "عمر الشريف", "فاتن حمامة", "Μελίνα Μερκούρη", "अमिताभ बच्चन", "ศรีสุดา รัชตะวรรณ",
        "DJ 🎧 Snake", "Björk", "Pelé", "Xuxa", "Mr. T", "\"Stone Cold\" Steve Austin",
    ];

    public static readonly string[] Characters =
    [
        "Self", "Self - Host", "Self - Guest", "Self - Narrator", "Himself", "Herself", "Narrator (voice)", "Girl",
        "Teacher", "Mother", "Father", "Policeman", "Man #2", "Woman in Bar", "Capitão Nascimento", "Dr. Watson",
        "\"Doc\"", "Col. Brandon", "Young Ben", "Warder", "The Stranger", "Bunga", "Skipp", "Бабушка", "ジョー",
        "Omar (as عمر)", "Lt. \"Maverick\" Mitchell", "Priest", "Nurse", "Waiter, Café Müller", "Herself, Host",
    ];

    public static readonly string[] Genres =
    [
        "Action", "Adult", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Documentary", "Drama", "Family",
        "Fantasy", "Film-Noir", "Game-Show", "History", "Horror", "Music", "Musical", "Mystery", "News", "Reality-TV",
        "Romance", "Sci-Fi", "Short", "Sport", "Talk-Show", "Thriller", "War", "Western",
    ];

    /// <summary>Genres weighted like IMDB's: drama and comedy dominate.</summary>
    public static readonly int[] GenreWeights =
    [
        8, 1, 5, 3, 3, 14, 6, 7, 22, 3, 3, 1, 1, 2, 4, 2, 2, 3, 1, 2, 6, 2, 1, 1, 1, 5, 2, 1,
    ];

    public static readonly string[] Professions =
    [
        "producer", "writer", "director", "soundtrack", "miscellaneous", "composer", "cinematographer", "editor",
        "stunts", "camera_department", "sound_department", "music_department", "art_department", "executive",
        "archive_footage", "animation_department", "casting_director", "make_up_department", "script_department",
        "visual_effects", "talent_agent", "assistant_director", "costume_designer", "production_manager",
    ];

    public static readonly string[] RomanNumerals = ["II", "III", "IV", "V", "VI"];
}
